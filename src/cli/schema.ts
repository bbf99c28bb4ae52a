/**
 * The command line, declared once. Every option is a row of `OPTIONS` — its flag, value type and
 * range, default, the library option it sets and its help text — and every command a row of
 * `COMMANDS` naming the options it takes. From these `program.ts` builds commander, `parse.ts`
 * turns and checks the values (errors name the flag), and `scripts/cli-docs.mjs` writes the
 * README's option tables; nothing about an option is written anywhere else.
 */
import { FAMILIES } from "../path/families.js";
import { PATH_SOLVERS } from "../prox/proxPath.js";
import { OPTIMIZERS } from "../nn/train.js";
import type { LinkName } from "../datafit/links.js";
import type { Measure } from "../cv/measures.js";

/** How an option's text becomes its value. */
export type OptionType =
  | "number"
  | "integer"
  /** comma-separated numbers */
  | "numbers"
  /** comma-separated integers */
  | "integers"
  /** one of `choices` */
  | "choice"
  /** present or not */
  | "switch"
  /** `--no-X`: true unless given */
  | "negation"
  /** bytes: 8G, 500M, 64k or a count */
  | "size"
  /** height × width: 8x8 */
  | "shape"
  /** a file, a column name or any other text */
  | "text";

export interface OptionSpec {
  /** The flag, as typed: `--lambda-min-ratio` (`--no-X` for a negation). */
  readonly flag: string;
  readonly type: OptionType;
  /** The value's placeholder in the help (`<value>`); none for switches and negations. */
  readonly value?: string;
  readonly help: string;
  /** The value when the option is not given (of the option's type). */
  readonly default?: string | number | boolean;
  /** Said in the help when the default is computed rather than fixed. */
  readonly defaultText?: string;
  /** Inclusive bounds of a number (each of a list's numbers). */
  readonly min?: number;
  readonly max?: number;
  /** Exclusive bounds. */
  readonly above?: number;
  readonly below?: number;
  /** Most values in a list. */
  readonly maxCount?: number;
  readonly choices?: readonly string[];
  /** The library option this sets (named so in the library's errors, which name the flag instead). */
  readonly sets?: string;
  /** The families it applies to (an error with any other --family). */
  readonly families?: readonly string[];
  /** The command fails without it. */
  readonly required?: boolean;
  /** Kept for old scripts, not shown: another name of this option. */
  readonly aliasOf?: string;
  readonly hidden?: boolean;
}

export const MAX_NLAMBDA = 100000;
const PENALTIES = ["lasso", "ridge", "elastic-net", "group", "mcp", "scad"] as const;
const LINKS: readonly LinkName[] = [
  "identity",
  "log",
  "inverse",
  "inverse-squared",
  "logit",
  "probit",
  "cloglog",
  "sqrt",
];
const MEASURES: readonly Measure[] = ["mse", "mae", "deviance", "class", "auc", "C"];
export const DATASETS = ["diabetes", "breast_cancer", "wine", "digits", "lung"] as const;

/** Every option of every command. Keys are the option's name in the commands' code. */
export const OPTIONS = {
  // ---- reading data ----
  features: {
    flag: "--features",
    type: "text",
    value: "a,b,…",
    defaultText: "every column but the target and the columns other options name",
    help: "the feature columns, comma-separated (the file's others are not read; svmlight / Matrix Market: indices)",
  },
  ignore: {
    flag: "--ignore",
    type: "text",
    value: "a,b,…",
    help: "columns that are not features (an id, other outcomes), comma-separated; not read (sparse files: indices)",
  },
  weights: {
    flag: "--weights",
    type: "text",
    value: "column",
    sets: "weights",
    help: "a column of observation weights (≥ 0), never a feature",
  },
  offset: {
    flag: "--offset",
    type: "text",
    value: "column",
    sets: "offset",
    families: ["binomial", "poisson", "cox"],
    help: "a column added to the linear predictor (the log exposure), never a feature",
  },
  labels: {
    flag: "--labels",
    type: "text",
    value: "file",
    help: "Matrix Market (.mtx) input: the response, one label per line (svmlight files carry theirs)",
  },
  missing: {
    flag: "--missing",
    type: "choice",
    value: "policy",
    choices: ["error", "drop", "mean"],
    default: "error",
    sets: "missing",
    help: "missing cells: an error, drop the row, or the column's mean",
  },
  categorical: {
    flag: "--categorical",
    type: "choice",
    value: "mode",
    choices: ["none", "auto"],
    default: "none",
    help: "auto: one-hot encode text feature columns (a column per level)",
  },
  dropRedundant: {
    flag: "--drop-redundant",
    type: "switch",
    help: "drop constant feature columns and exact duplicates (kept with a warning otherwise)",
  },
  memoryBudget: {
    flag: "--memory-budget",
    type: "size",
    value: "size",
    defaultText: "half the machine's memory",
    help: "largest table to hold in memory as doubles, e.g. 8G or 500M",
  },
  // ---- the model ----
  target: {
    flag: "--target",
    type: "text",
    value: "name",
    defaultText: "the last column",
    help: "the response column (mgaussian: y1,y2,…)",
  },
  family: {
    flag: "--family",
    type: "choice",
    value: "family",
    choices: FAMILIES,
    default: "gaussian",
    sets: "family",
    help: "the response's family",
  },
  link: {
    flag: "--link",
    type: "choice",
    value: "link",
    choices: LINKS,
    defaultText: "R's for the family",
    sets: "link",
    help: "the link of a GLM family (glmnet 4's family objects)",
  },
  theta: {
    flag: "--theta",
    type: "number",
    value: "θ",
    above: 0,
    sets: "theta",
    families: ["negative-binomial"],
    help: "θ of the negative binomial's variance μ + μ²/θ",
  },
  standardizeResponse: {
    flag: "--standardize-response",
    type: "switch",
    sets: "standardizeResponse",
    families: ["mgaussian"],
    help: "scale each response to unit sd (glmnet's standardize.response)",
  },
  time: {
    flag: "--time",
    type: "text",
    value: "column",
    families: ["cox"],
    help: "the survival (stop) time column (the target)",
  },
  status: {
    flag: "--status",
    type: "text",
    value: "column",
    sets: "status",
    families: ["cox"],
    help: "the event column (1 event, 0 censored), never a feature",
  },
  start: {
    flag: "--start",
    type: "text",
    value: "column",
    sets: "start",
    families: ["cox"],
    help: "each row's interval start: (start, time] data",
  },
  strata: {
    flag: "--strata",
    type: "text",
    value: "column",
    sets: "strata",
    families: ["cox"],
    help: "a stratum label per row (a baseline hazard per stratum)",
  },
  ties: {
    flag: "--ties",
    type: "choice",
    value: "rule",
    choices: ["breslow", "efron"],
    defaultText: "breslow, glmnet's",
    sets: "ties",
    families: ["cox"],
    help: "how tied event times are handled (efron: coxph's)",
  },
  positive: {
    flag: "--positive",
    type: "text",
    value: "value",
    defaultText: "the larger number or later label",
    families: ["binomial"],
    help: "the target value counted as 1",
  },
  grouped: {
    flag: "--grouped",
    type: "switch",
    sets: "typeMultinomial",
    families: ["multinomial"],
    help: "one group per feature across the classes (glmnet's type.multinomial = grouped)",
  },
  // ---- the path ----
  penalty: {
    flag: "--penalty",
    type: "choice",
    value: "penalty",
    choices: PENALTIES,
    defaultText:
      "from --alpha, as glmnet: lasso (α = 1, the default), ridge (α = 0), elastic-net between",
    help: "the penalty",
  },
  alpha: {
    flag: "--alpha",
    type: "number",
    value: "a",
    min: 0,
    max: 1,
    defaultText: "1; 0 for ridge and group, 0.5 for elastic-net",
    sets: "alpha",
    help: "elastic-net mixing: 1 lasso, 0 ridge (group: the L1 share within groups)",
  },
  gamma: {
    flag: "--gamma",
    type: "number",
    value: "γ",
    above: 1,
    defaultText: "3 for mcp, 3.7 for scad (ncvreg's)",
    sets: "gamma",
    help: "mcp / scad: the concavity γ (mcp needs γ > 1, scad γ > 2; γ → ∞ is the lasso)",
  },
  groups: {
    flag: "--groups",
    type: "text",
    value: "file",
    help: "--penalty group: one group id per feature ('feature,group' lines or one id per line)",
  },
  nlambda: {
    flag: "--nlambda",
    type: "integer",
    value: "k",
    min: 2,
    max: MAX_NLAMBDA,
    defaultText: "100",
    sets: "nLambda",
    help: "number of λ values on the path",
  },
  lambdaMinRatio: {
    flag: "--lambda-min-ratio",
    type: "number",
    value: "r",
    above: 0,
    below: 1,
    defaultText: "1e-4 if n > p, else 0.01",
    sets: "lambdaMinRatio",
    help: "smallest λ as a fraction of λ_max",
  },
  lambda: {
    flag: "--lambda",
    type: "numbers",
    value: "list",
    min: 0,
    maxCount: MAX_NLAMBDA,
    sets: "lambda",
    help: "explicit λ values, comma-separated (instead of the grid)",
  },
  penaltyFactor: {
    flag: "--penalty-factor",
    type: "numbers",
    value: "list",
    min: 0,
    sets: "penaltyFactor",
    help: "per-feature penalty factors, one or one per feature (0 = unpenalized)",
  },
  lowerLimits: {
    flag: "--lower-limits",
    type: "numbers",
    value: "list",
    max: 0,
    sets: "lowerLimits",
    help: "lower bounds on the coefficients (≤ 0), one or one per feature",
  },
  upperLimits: {
    flag: "--upper-limits",
    type: "numbers",
    value: "list",
    min: 0,
    sets: "upperLimits",
    help: "upper bounds on the coefficients (≥ 0), one or one per feature",
  },
  standardize: {
    flag: "--no-standardize",
    type: "negation",
    sets: "standardize",
    help: "do not standardize the features",
  },
  intercept: {
    flag: "--no-intercept",
    type: "negation",
    sets: "intercept",
    help: "fit without an intercept",
  },
  thresh: {
    flag: "--thresh",
    type: "number",
    value: "t",
    above: 0,
    max: 1,
    defaultText: "1e-9",
    sets: "thresh",
    help: "convergence threshold relative to the null deviance",
  },
  engine: {
    flag: "--engine",
    type: "choice",
    value: "name",
    choices: ["memory", "duckdb", "clickhouse"],
    defaultText: "memory; duckdb past --memory-budget",
    help: "where the sums are taken: duckdb or clickhouse (a clickhouse://HOST:PORT/DB.TABLE source) fit gaussian, binomial and poisson lasso / elastic net / ridge from SQL sums, never holding the rows",
  },
  solver: {
    flag: "--solver",
    type: "choice",
    value: "name",
    choices: PATH_SOLVERS,
    default: "cd",
    help: "the same path by another method (to compare exact zeros)",
  },
  repeat: {
    flag: "--repeat",
    type: "integer",
    value: "n",
    min: 1,
    max: 10000,
    default: 1,
    help: "fit N times in the same process (timings in fitSeconds)",
  },
  // ---- cross-validation ----
  folds: {
    flag: "--folds",
    type: "integer",
    value: "k",
    min: 3,
    max: 1e6,
    default: 10,
    sets: "nFolds",
    help: "number of cross-validation folds",
  },
  cv: {
    flag: "--cv",
    type: "integer",
    value: "k",
    min: 3,
    max: 1e6,
    aliasOf: "folds",
    hidden: true,
    help: "the old name of --folds",
  },
  foldid: {
    flag: "--foldid",
    type: "text",
    value: "file",
    sets: "foldId",
    help: "the fold of each data row (one integer ≥ 1 per line)",
  },
  foldColumn: {
    flag: "--fold-column",
    type: "text",
    value: "name",
    help: "a column holding each row's fold number (never a feature)",
  },
  measure: {
    flag: "--measure",
    type: "choice",
    value: "m",
    choices: MEASURES,
    defaultText: "mse for gaussian and mgaussian, deviance otherwise",
    sets: "measure",
    help: "the cross-validation measure",
  },
  seed: {
    flag: "--seed",
    type: "integer",
    value: "s",
    min: 0,
    default: 1,
    sets: "seed",
    help: "seed of the random folds, half-samples, initialization and shuffling",
  },
  stratified: {
    flag: "--stratified",
    type: "switch",
    sets: "stratified",
    families: ["binomial", "multinomial"],
    help: "keep the class balance in every fold",
  },
  workers: {
    flag: "--workers",
    type: "integer",
    value: "n",
    min: 0,
    max: 256,
    defaultText: "none: the folds run in this thread",
    sets: "workers",
    help: "worker threads for the folds (2 or more; a one-shot process's cold workers cost about as much as they save)",
  },
  threads: {
    flag: "--threads",
    type: "integer",
    value: "n",
    min: 1,
    max: 256,
    defaultText: "one per core",
    help: "threads for the large matrix products (the exact ridge path, the Gram matrix) and a large sparse GLM's reads; the same results on any number",
  },
  // ---- choosing the model ----
  select: {
    flag: "--select",
    type: "choice",
    value: "rule",
    choices: ["min", "1se"],
    default: "1se",
    help: "min: λ of least CV error; 1se: the largest λ within one SE of it",
  },
  stability: {
    flag: "--stability",
    type: "integer",
    value: "n",
    min: 10,
    max: 100000,
    sets: "pairs",
    help: "stability selection with n complementary pairs of half-samples",
  },
  threshold: {
    flag: "--threshold",
    type: "number",
    value: "π",
    min: 0.51,
    max: 1,
    default: 0.6,
    sets: "threshold",
    help: "stability selection: the selection-probability threshold",
  },
  q: {
    flag: "--q",
    type: "integer",
    value: "q",
    min: 1,
    defaultText: "√(0.8 p)",
    sets: "q",
    help: "stability selection: average number of features selected over the λ range",
  },
  lambdaAt: {
    flag: "--lambda",
    type: "number",
    value: "λ",
    above: 0,
    required: true,
    help: "the λ to explain",
  },
  // ---- outputs ----
  json: { flag: "--json", type: "text", value: "file", help: "write the results as JSON" },
  report: {
    flag: "--report",
    type: "text",
    value: "file",
    help: "write a self-contained HTML report",
  },
  save: {
    flag: "--save",
    type: "text",
    value: "file",
    help: "save the selected model as versioned JSON (for regularize predict and assess)",
  },
  out: {
    flag: "--out",
    type: "text",
    value: "file",
    defaultText: "standard output",
    help: "write the predictions as CSV",
  },
  keep: {
    flag: "--keep",
    type: "text",
    value: "columns",
    help: "copy these columns (an id) into the predictions, comma-separated",
  },
  times: {
    flag: "--times",
    type: "numbers",
    value: "list",
    min: 0,
    help: "Cox models: survival probabilities S(t | x) at these times, comma-separated",
  },
  dataset: {
    flag: "--dataset",
    type: "choice",
    value: "name",
    choices: DATASETS,
    default: "diabetes",
    help: "the embedded dataset",
  },
  demoReport: {
    flag: "--report",
    type: "text",
    value: "file",
    defaultText: "regularize-DATASET.html",
    help: "where to write the report",
  },
  // ---- neural networks (regularize train) ----
  task: {
    flag: "--task",
    type: "choice",
    value: "task",
    choices: ["classification", "regression"],
    defaultText: "inferred from the target",
    help: "what the network predicts",
  },
  hidden: {
    flag: "--hidden",
    type: "integers",
    value: "sizes",
    min: 1,
    max: 1e7,
    maxCount: 1000,
    default: "256,256",
    sets: "hidden",
    help: "hidden layer sizes, comma-separated",
  },
  activation: {
    flag: "--activation",
    type: "choice",
    value: "name",
    choices: ["relu", "gelu", "tanh", "sigmoid"],
    default: "relu",
    sets: "activation",
    help: "the hidden layers' activation",
  },
  dropout: {
    flag: "--dropout",
    type: "number",
    value: "p",
    min: 0,
    max: 0.99,
    sets: "dropout",
    help: "dropout rate after each hidden layer",
  },
  batchNorm: {
    flag: "--batch-norm",
    type: "switch",
    sets: "batchNorm",
    help: "batch normalization after each hidden Dense layer",
  },
  layerNorm: {
    flag: "--layer-norm",
    type: "switch",
    sets: "layerNorm",
    help: "layer normalization after each hidden Dense layer",
  },
  optimizer: {
    flag: "--optimizer",
    type: "choice",
    value: "name",
    choices: OPTIMIZERS,
    default: "adamw",
    sets: "optimizer",
    help: "the optimizer (proxsgd, proxadam: proximal L1 and group steps)",
  },
  lr: {
    flag: "--lr",
    type: "number",
    value: "rate",
    min: 1e-12,
    max: 100,
    defaultText: "1e-3; 0.05 for sgd, momentum, proxsgd",
    sets: "lr",
    help: "learning rate",
  },
  weightDecay: {
    flag: "--weight-decay",
    type: "number",
    value: "wd",
    min: 0,
    defaultText: "0.01 for adamw",
    sets: "weightDecay",
    help: "decoupled for adamw, coupled L2 otherwise",
  },
  l1: {
    flag: "--l1",
    type: "number",
    value: "λ",
    min: 0,
    sets: "l1",
    help: "L1: proximal with proxsgd/proxadam, in the loss otherwise",
  },
  group: {
    flag: "--group",
    type: "number",
    value: "λ",
    min: 0,
    sets: "group",
    help: "group lasso over each neuron's incoming weights (proximal)",
  },
  labelSmoothing: {
    flag: "--label-smoothing",
    type: "number",
    value: "ε",
    min: 0,
    max: 0.99,
    sets: "labelSmoothing",
    help: "label smoothing for classification",
  },
  mixup: {
    flag: "--mixup",
    type: "number",
    value: "a",
    min: 0,
    sets: "mixup",
    help: "mixup with λ ~ Beta(a, a)",
  },
  cutmix: {
    flag: "--cutmix",
    type: "number",
    value: "a",
    min: 0,
    sets: "cutmix",
    help: "cutmix for square image inputs with λ ~ Beta(a, a)",
  },
  imageShape: {
    flag: "--image-shape",
    type: "shape",
    value: "HxW",
    defaultText: "square",
    sets: "imageShape",
    help: "height × width of image inputs for cutmix",
  },
  inputNoise: {
    flag: "--input-noise",
    type: "number",
    value: "sd",
    min: 0,
    sets: "inputNoise",
    help: "Gaussian noise on the standardized inputs",
  },
  featureDropout: {
    flag: "--feature-dropout",
    type: "number",
    value: "p",
    min: 0,
    max: 0.99,
    sets: "featureDropout",
    help: "drop input features with this probability",
  },
  clipNorm: {
    flag: "--clip-norm",
    type: "number",
    value: "c",
    min: 1e-12,
    sets: "clipNorm",
    help: "clip the gradient's global norm to c",
  },
  schedule: {
    flag: "--schedule",
    type: "choice",
    value: "name",
    choices: ["constant", "step", "cosine"],
    default: "constant",
    sets: "schedule",
    help: "learning-rate schedule",
  },
  warmupEpochs: {
    flag: "--warmup-epochs",
    type: "number",
    value: "e",
    min: 0,
    sets: "warmupEpochs",
    help: "linear learning-rate warmup over e epochs",
  },
  epochs: {
    flag: "--epochs",
    type: "integer",
    value: "e",
    min: 1,
    max: 1e6,
    default: 50,
    sets: "epochs",
    help: "maximum number of epochs",
  },
  batchSize: {
    flag: "--batch-size",
    type: "integer",
    value: "b",
    min: 1,
    max: 1e9,
    default: 32,
    sets: "batchSize",
    help: "mini-batch size",
  },
  earlyStopping: {
    flag: "--early-stopping",
    type: "integer",
    value: "patience",
    min: 1,
    sets: "earlyStopping",
    help: "stop after this many epochs without improvement",
  },
  validationSplit: {
    flag: "--validation-split",
    type: "number",
    value: "f",
    min: 0,
    max: 0.9,
    defaultText: "0.1 with --early-stopping, else 0",
    sets: "validationSplit",
    help: "fraction of the training rows held out for validation",
  },
  prune: {
    flag: "--prune",
    type: "number",
    value: "fraction",
    min: 0,
    max: 0.999,
    sets: "pruneFraction",
    help: "after training, prune this fraction of the weights by magnitude, then fine-tune",
  },
  pruneEpochs: {
    flag: "--prune-epochs",
    type: "integer",
    value: "e",
    min: 0,
    default: 10,
    sets: "pruneEpochs",
    help: "fine-tuning epochs after pruning",
  },
  mcDropout: {
    flag: "--mc-dropout",
    type: "integer",
    value: "T",
    min: 1,
    help: "also report Monte Carlo dropout on the test data with T passes",
  },
  test: {
    flag: "--test",
    type: "text",
    value: "file",
    help: "a data file with the same columns, evaluated after training",
  },
  dtype: {
    flag: "--dtype",
    type: "choice",
    value: "type",
    choices: ["float64", "float32"],
    default: "float64",
    sets: "dtype",
    help: "float32 is faster",
  },
} as const satisfies Record<string, OptionSpec>;

export type OptionKey = keyof typeof OPTIONS;

const INPUT = [
  "features",
  "ignore",
  "weights",
  "offset",
  "labels",
  "missing",
  "categorical",
  "dropRedundant",
  "memoryBudget",
] as const satisfies readonly OptionKey[];
const MODEL = [
  "target",
  "family",
  "link",
  "theta",
  "standardizeResponse",
  "time",
  "status",
  "start",
  "strata",
  "ties",
  "positive",
] as const satisfies readonly OptionKey[];
/** The λ grid's options, and those of the penalty and the fit (explain takes both, not --lambda). */
const GRID = ["alpha", "nlambda", "lambdaMinRatio"] as const satisfies readonly OptionKey[];
const FIT_SHAPE = [
  "penaltyFactor",
  "lowerLimits",
  "upperLimits",
  "standardize",
  "intercept",
  "thresh",
] as const satisfies readonly OptionKey[];
const PATH = [...GRID, "lambda", ...FIT_SHAPE, "engine", "threads"] as const;
const CV = [
  "folds",
  "foldid",
  "foldColumn",
  "measure",
  "seed",
  "stratified",
  "workers",
] as const satisfies readonly OptionKey[];

/** The penalty's options (resolved together by cli/penalty.ts). */
export const PENALTY_OPTIONS = ["penalty", "alpha", "gamma", "groups"] as const;

export const PATH_OPTIONS = [
  ...INPUT,
  ...MODEL,
  "grouped",
  "penalty",
  "gamma",
  "groups",
  ...PATH,
  "solver",
  "repeat",
  "json",
] as const;
export const CV_OPTIONS = [
  ...INPUT,
  ...MODEL,
  "grouped",
  "penalty",
  "gamma",
  "groups",
  ...PATH,
  ...CV,
  "json",
] as const;
export const EXPLAIN_OPTIONS = [
  ...INPUT,
  ...MODEL,
  "lambdaAt",
  ...GRID,
  ...FIT_SHAPE,
  "json",
] as const;
export const FIT_OPTIONS = [
  ...INPUT,
  ...MODEL,
  "penalty",
  "alpha",
  "gamma",
  "groups",
  "nlambda",
  "lambdaMinRatio",
  "lambda",
  ...FIT_SHAPE,
  "engine",
  "threads",
  "folds",
  "cv",
  "foldid",
  "foldColumn",
  "workers",
  "measure",
  "seed",
  "select",
  "stability",
  "threshold",
  "q",
  "report",
  "save",
  "json",
] as const;
export const PREDICT_OPTIONS = [
  "out",
  "keep",
  "times",
  "missing",
  "labels",
  "memoryBudget",
] as const;
export const ASSESS_OPTIONS = ["json", "missing", "labels", "memoryBudget"] as const;
export const DEMO_OPTIONS = ["dataset", "demoReport"] as const;
export const TRAIN_OPTIONS = [
  ...INPUT,
  "target",
  "task",
  "hidden",
  "activation",
  "dropout",
  "batchNorm",
  "layerNorm",
  "optimizer",
  "lr",
  "weightDecay",
  "l1",
  "group",
  "labelSmoothing",
  "mixup",
  "cutmix",
  "imageShape",
  "inputNoise",
  "featureDropout",
  "clipNorm",
  "schedule",
  "warmupEpochs",
  "epochs",
  "batchSize",
  "earlyStopping",
  "validationSplit",
  "prune",
  "pruneEpochs",
  "mcDropout",
  "test",
  "seed",
  "dtype",
  "json",
  "report",
] as const;

export interface CommandSpec {
  readonly name: string;
  readonly description: string;
  readonly args: readonly { readonly name: string; readonly help: string }[];
  readonly options: readonly OptionKey[];
  /** Per-command wording of a shared option's help (what this command's --json holds). */
  readonly help?: Partial<Record<OptionKey, string>>;
  /** The choices this command takes of a choice option, where fewer than the option's. */
  readonly narrow?: Partial<Record<OptionKey, readonly string[]>>;
  readonly examples: readonly string[];
  readonly note?: string;
}

const DATA_ARG = {
  name: "data",
  help: "data file: .csv, .tsv, .parquet, .arrow, .jsonl, .svm or .mtx (a header / named columns for tables)",
};
const MODEL_ARG = { name: "model", help: "model JSON written by regularize fit --save" };

/** The commands, in the order `--help` lists them. */
export const COMMANDS = [
  {
    name: "fit",
    description:
      "the main job: path, cross-validated λ, the selected model (with stability and 'why zero'), report, saved model",
    args: [DATA_ARG],
    options: FIT_OPTIONS,
    help: {
      json: "write the path, cross-validation, selection and explanation as JSON",
    },
    examples: [
      "regularize fit data/diabetes.csv --report report.html --save model.json",
      "regularize fit data/breast_cancer.csv --family binomial --stability 50 --select min",
      "regularize fit data.parquet --target y --penalty elastic-net --alpha 0.3 --categorical auto --missing mean",
      "regularize fit data.csv --penalty group --groups groups.csv --json fit.json",
    ],
  },
  {
    name: "predict",
    description: "apply a saved model (regularize fit --save) to new data; columns matched by name",
    args: [MODEL_ARG, { name: "data", help: "data file with the model's feature columns" }],
    options: PREDICT_OPTIONS,
    examples: [
      "regularize predict model.json new.csv --out predictions.csv",
      "regularize predict model.json scoring.parquet --keep id --out scores.csv",
      "regularize predict cox-model.json patients.csv --times 180,365,730",
    ],
  },
  {
    name: "assess",
    description:
      "a saved model's measures on data holding its target (glmnet's assess.glmnet, ROC, confusion)",
    args: [
      MODEL_ARG,
      { name: "data", help: "data file with the model's feature and target columns" },
    ],
    options: ASSESS_OPTIONS,
    help: { json: "write the measures, ROC curve and confusion matrix as JSON" },
    examples: [
      "regularize assess model.json test.csv",
      "regularize assess cox-model.json patients.csv --json assessment.json",
    ],
  },
  {
    name: "demo",
    description: "the main job (regularize fit) on an embedded dataset, with its report",
    args: [],
    options: DEMO_OPTIONS,
    examples: ["regularize demo", "regularize demo --dataset breast_cancer --report bc.html"],
  },
  {
    name: "path",
    description: "fit the whole regularization path and print it (λ, df, %dev) or write JSON",
    args: [DATA_ARG],
    options: PATH_OPTIONS,
    help: { json: "write the path as JSON" },
    examples: [
      "regularize path data/diabetes.csv",
      "regularize path data.csv --target y --alpha 0.5 --json path.json",
      "regularize path data/diabetes.csv --solver fista",
    ],
  },
  {
    name: "cv",
    description: "cross-validate the path and choose λ (lambda.min, lambda.1se)",
    args: [DATA_ARG],
    options: CV_OPTIONS,
    help: { json: "write the path and the curve as JSON" },
    examples: [
      "regularize cv data/diabetes.csv",
      "regularize cv data/breast_cancer.csv --family binomial --measure auc --folds 5",
      "regularize cv data.csv --foldid folds.txt --json cv.json",
    ],
  },
  {
    name: "explain",
    description:
      "why each weight is zero or not at one λ: gradient against the dead-zone threshold",
    args: [DATA_ARG],
    options: EXPLAIN_OPTIONS,
    help: { json: "write the explanation as JSON" },
    narrow: { family: ["gaussian", "binomial", "poisson"] },
    examples: [
      "regularize explain data/diabetes.csv --lambda 1.5",
      "regularize explain data/breast_cancer.csv --family binomial --lambda 0.02 --json why.json",
    ],
  },
  {
    name: "train",
    description:
      "train a multilayer perceptron with dropout, weight decay, proximal sparsity, early stopping",
    args: [DATA_ARG],
    options: TRAIN_OPTIONS,
    help: {
      json: "write the history, best epoch and test results as JSON",
      report: "write a self-contained HTML report (loss curves, zeros, histograms)",
      seed: "seed of the initialization, shuffling, dropout and augmentation",
    },
    examples: [
      "regularize train data/digits.csv --dropout 0.3 --label-smoothing 0.1 --early-stopping 10",
      "regularize train train.csv --test test.csv --optimizer proxadam --l1 1e-3 --json run.json",
      "regularize train data/diabetes.csv --task regression --hidden 64 --epochs 200",
    ],
  },
] as const satisfies readonly CommandSpec[];

export type CommandName = (typeof COMMANDS)[number]["name"];
