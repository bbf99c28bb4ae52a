import { EngineError, InputError } from "../errors.js";
import type { TableEngine } from "./duckdbEngine.js";

const NUMERIC = /^(Nullable\()?(U?Int(8|16|32|64)|Float(32|64)|Decimal(32|64|128)?\(.*\))\)?$/;

/**
 * ClickHouse as an engine, over its HTTP interface: a source written
 * `clickhouse://HOST:PORT/DATABASE.TABLE`; the user and password come from
 * REGULARIZE_CLICKHOUSE_USER / REGULARIZE_CLICKHOUSE_PASSWORD (HTTP basic authentication), never
 * from the command line, and are never printed. A Distributed table spreads every aggregation over
 * the cluster's shards. A Distributed table has no row order, so the fold of a row is a hash of
 * its values: `cityHash64(columns…) + seed` modulo K, plus 1 (or `--fold-column`). A query that
 * gets no answer within `timeoutSeconds` (REGULARIZE_QUERY_TIMEOUT, default 600) is an error.
 */
export function clickhouseEngine(
  source: string,
  timeoutSeconds = Number(process.env.REGULARIZE_QUERY_TIMEOUT) || 600,
): TableEngine {
  const m = /^clickhouse:\/\/([^/:]+):(\d+)\/([^./]+)\.([^./]+)$/.exec(source);
  if (!m)
    throw new InputError(`${source}: expected clickhouse://HOST:PORT/DATABASE.TABLE`, {
      file: source,
    });
  const [, host, port, database, table] = m;
  const url = `http://${host}:${port}/`;
  const user = process.env.REGULARIZE_CLICKHOUSE_USER ?? "default";
  const password = process.env.REGULARIZE_CLICKHOUSE_PASSWORD ?? "";
  const auth = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  let answered = false;
  const post = async (sql: string): Promise<string> => {
    let res: Response;
    try {
      res = await fetch(url, {
        method: "POST",
        body: sql,
        headers: { Authorization: auth },
        signal: AbortSignal.timeout(timeoutSeconds * 1000),
      });
    } catch (e) {
      const err = e as Error & {
        cause?: { code?: string; message?: string; errors?: { code?: string }[] };
      };
      const why =
        err.name === "TimeoutError"
          ? `no answer within ${timeoutSeconds} s`
          : String(
              err.cause?.code ?? err.cause?.errors?.[0]?.code ?? err.cause?.message ?? err.message,
            );
      const message = `${source}: cannot reach the server (${why})`;
      if (answered) throw new EngineError(message);
      throw new InputError(message, { file: source });
    }
    const text = await res.text();
    if (!res.ok) {
      // "Code: 60, e.displayText() = DB::Exception: Table d.t doesn't exist., e.what() = …"
      const reason = (/DB::Exception: ([^\n]*?)(, e\.what\(\)|$)/m.exec(text)?.[1] ?? text)
        .split("\n")[0]
        .replace(password ? password : "\u0000", "***")
        .slice(0, 240);
      const message = `${source}: ${reason}`;
      // a failure after the server has answered once is the server's, not the input's
      if (answered && res.status >= 500 && !/doesn't exist|Unknown|Missing columns/.test(reason))
        throw new EngineError(message);
      throw new InputError(message, { file: source });
    }
    answered = true;
    return text;
  };
  const q = (s: string) => `"${s.replace(/"/g, '\\"')}"`;
  const relation = `${q(database)}.${q(table)}`;
  let columns: string[] = [];
  return {
    kind: "clickhouse",
    source,
    dialect: {
      relation,
      // no order in a distributed table: the row's values, hashed, stand for its position
      get position() {
        return `cityHash64(${columns.map(q).join(", ")}) % 4294967296`;
      },
      isFinite: (e) => `isFinite(${e})`,
      ln: (e) => `log(${e})`,
    },
    async describe() {
      const text = await post(`DESCRIBE TABLE ${relation} FORMAT TabSeparated`);
      const rows = text
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => {
          const [name, type] = l.split("\t");
          return { name, type };
        });
      columns = rows.map((r) => r.name);
      return rows;
    },
    async query(sql: string) {
      const text = await post(`${sql} FORMAT TabSeparated`);
      return text
        .split("\n")
        .filter((l) => l !== "")
        .map((l) =>
          l
            .split("\t")
            .map((v) =>
              v === "\\N"
                ? null
                : v === "nan"
                  ? NaN
                  : v === "inf"
                    ? Infinity
                    : v === "-inf"
                      ? -Infinity
                      : Number(v),
            ),
        );
    },
    isNumeric: (type) => NUMERIC.test(type),
  };
}
