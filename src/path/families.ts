import {
  CANONICAL_LINK,
  distribution,
  LINK_FAMILIES,
  type Distribution,
  type LinkFamilyName,
} from "../datafit/linkFamily.js";
import type { LinkName } from "../datafit/links.js";
import { InputError } from "../errors.js";

/**
 * Every family `fit` takes, in one list: the GLM paths' four, the Cox model, the multi-response
 * Gaussian and the families that come only with a link (glmnet 4's family objects).
 */
export const FAMILIES = [
  "gaussian",
  "binomial",
  "poisson",
  "multinomial",
  "cox",
  "mgaussian",
  "gamma",
  "inverse-gaussian",
  "negative-binomial",
] as const;
export type FitFamily = (typeof FAMILIES)[number];

/** Whether a family is one of `FAMILIES`. */
export function isFamily(name: unknown): name is FitFamily {
  return (FAMILIES as readonly unknown[]).includes(name);
}

/**
 * Whether a family with this link is fitted through its distribution and link (LinkDatafit)
 * rather than a family's own datafit: the link-only families, or a link other than the
 * canonical one of gaussian, binomial and poisson.
 */
export function fitsByLink(family: string, link: string | undefined): boolean {
  if (!(LINK_FAMILIES as readonly string[]).includes(family)) return false;
  const canonical = CANONICAL_LINK[family as LinkFamilyName];
  return canonical === null || (link !== undefined && link !== canonical);
}

/**
 * Checks a family's link and θ (before any work) and returns its distribution and link (null for
 * the families without a choice of link) and whether it is fitted through them.
 */
export function familyLink(
  family: string,
  link: string | undefined,
  theta: number | undefined,
): { dist: Distribution | null; link: LinkName | null; byLink: boolean } {
  const bad = (option: string, message: string) =>
    new InputError(`option '${option}': ${message}`, { option });
  if (theta !== undefined && family !== "negative-binomial")
    throw bad("theta", "applies to the negative-binomial family only");
  if (
    family === "negative-binomial" &&
    !(theta !== undefined && theta > 0 && Number.isFinite(theta))
  )
    throw bad("theta", `the negative binomial needs θ > 0 (its dispersion), got ${theta}`);
  const linked = (LINK_FAMILIES as readonly string[]).includes(family);
  if (link !== undefined && !linked)
    throw bad("link", `the ${family} family has no choice of link`);
  if (!linked) return { dist: null, link: null, byLink: false };
  const dist = distribution(family as LinkFamilyName, theta);
  if (link !== undefined && !(dist.links as string[]).includes(link))
    throw bad("link", `${family} takes ${dist.links.join(", ")}; got '${link}'`);
  return { dist, link: (link as LinkName) ?? dist.links[0], byLink: fitsByLink(family, link) };
}
