import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SERVER = "/usr/sbin/clickhouse-server";
const BASE = "/etc/clickhouse-server/config.xml";

/** A running two-shard ClickHouse cluster on loopback ports, each server in its own folder. */
export interface Cluster {
  /** HTTP ports of the two servers. */
  http: [number, number];
  cluster: string;
  /** Runs a query on server k (0 or 1) over HTTP; returns the body. */
  query(k: number, sql: string, body?: string): Promise<string>;
  /** Kills server k (a shard going down). */
  kill(k: number): void;
  stop(): void;
}

export const hasClickHouse = (): boolean => existsSync(SERVER) && existsSync(BASE);

/**
 * Starts two `clickhouse-server`s (Debian's 18.16) with configs derived from the package's:
 * own ports, data and log folders, and a `remote_servers` cluster of two shards (one replica
 * each). `stop()` kills both (found by their config paths: the server forks) and removes the
 * folders; call it in a `finally`.
 */
export async function startCluster(basePort = 18123): Promise<Cluster> {
  const root = mkdtempSync(join(tmpdir(), "regularize-ch-"));
  const name = "regularize_test";
  const ports = [0, 1].map((k) => ({
    http: basePort + 10 * k,
    tcp: basePort + 10 * k + 1,
    inter: basePort + 10 * k + 2,
  }));
  const shards = ports
    .map((p) => `<shard><replica><host>127.0.0.1</host><port>${p.tcp}</port></replica></shard>`)
    .join("");
  const configs = ports.map((p, k) => {
    const dir = join(root, `s${k}`);
    mkdirSync(join(dir, "tmp"), { recursive: true });
    let xml = readFileSync(BASE, "utf8");
    const set = (tag: string, value: string) =>
      (xml = xml.replace(new RegExp(`<${tag}>[^<]*</${tag}>`), `<${tag}>${value}</${tag}>`));
    set("http_port", String(p.http));
    set("tcp_port", String(p.tcp));
    set("interserver_http_port", String(p.inter));
    set("log", join(dir, "server.log"));
    set("errorlog", join(dir, "server.err.log"));
    set("path", `${dir}/`);
    set("tmp_path", `${dir}/tmp/`);
    set("user_files_path", `${dir}/user_files/`);
    set("format_schema_path", `${dir}/format_schemas/`);
    set("users_config", "/etc/clickhouse-server/users.xml");
    xml = xml.replace(/<tcp_port_secure>[^<]*<\/tcp_port_secure>/, "");
    xml = xml.replace("<listen_host>::1</listen_host>", "");
    xml = xml.replace(
      /<remote_servers[^>]*>[\s\S]*?<\/remote_servers>/,
      `<remote_servers><${name}>${shards}</${name}></remote_servers>`,
    );
    const file = join(dir, "config.xml");
    writeFileSync(file, xml);
    return file;
  });
  const kill = (k: number) => {
    try {
      execFileSync("pkill", ["-9", "-f", `config-file=${configs[k]}`]);
    } catch {
      /* not running */
    }
  };
  const stop = () => {
    for (let k = 0; k < configs.length; k++) kill(k);
    rmSync(root, { recursive: true, force: true });
  };
  try {
    for (const file of configs)
      spawn(SERVER, [`--config-file=${file}`], { detached: true, stdio: "ignore" }).unref();
    const query = async (k: number, sql: string, body?: string) => {
      const url = `http://127.0.0.1:${ports[k].http}/?query=${encodeURIComponent(sql)}`;
      const res = await fetch(url, { method: "POST", body: body ?? "" });
      const text = await res.text();
      if (!res.ok) throw new Error(`ClickHouse ${k}: ${text.split("\n")[0]}`);
      return text;
    };
    for (let k = 0; k < 2; k++) {
      const t0 = Date.now();
      for (;;) {
        try {
          if ((await query(k, "SELECT 1")).trim() === "1") break;
        } catch {
          /* starting */
        }
        if (Date.now() - t0 > 30000) throw new Error(`ClickHouse ${k} did not start in 30 s`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    return { http: [ports[0].http, ports[1].http], cluster: name, query, kill, stop };
  } catch (e) {
    stop();
    throw e;
  }
}
