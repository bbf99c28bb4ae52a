export { InputError } from "./errors.js";
export * from "./data/matrix.js";
export { elasticNetPath } from "./path/elasticNetPath.js";
export type { PathFit, SparseVector } from "./path/elasticNetPath.js";
export type { ElasticNetOptions } from "./path/options.js";
export { glmPath } from "./path/glmPath.js";
export type { GlmOptions } from "./path/glmPath.js";
export * from "./penalty/elasticNet.js";
export { Random } from "./random.js";
export { ridgePath } from "./path/ridgePath.js";
export { setThreads } from "./wasm/threads.js";
export type { RidgeCv, RidgeFit, RidgeOptions } from "./path/ridgePath.js";
export { symmetricEigen } from "./linalg/symmetricEigen.js";
export { householderEigen } from "./linalg/householderEigen.js";
export { coefAt, coefSetsAt, predict, predictSets } from "./path/predict.js";
export type { AnyPath, PathCoefficients, PathSets } from "./path/predict.js";
export { cvPath } from "./cv/cvPath.js";
export { gaussianStatsPath, gaussianStatsCv, type StatsCvResult } from "./path/statsPath.js";
export { gaussianStats, addStats, subtractStats, type GaussianStats } from "./data/gramDesign.js";
export type { CvOptions, CvResult } from "./cv/cvPath.js";
export type { CvFamily, Family, Measure } from "./cv/measures.js";
export { concordance } from "./cv/survival.js";
export { assess, type AssessOptions, type Assessment } from "./model/assess.js";
export {
  parseModel,
  predictModel,
  validateModel,
  type ModelFamily,
  type SavedModel,
} from "./model/model.js";
export {
  fromTable,
  tableMatrix,
  type FromTableOptions,
  type TableDesign,
  type TableLike,
} from "./io/fromTable.js";
export { coxBaseline, kaplanMeier, survivalAt, type BaselineHazard } from "./path/survival.js";
export type { CoxTies, Survival } from "./datafit/survivalData.js";
export { randomFolds } from "./cv/folds.js";
export { stabilitySelection } from "./select/stability.js";
export type { StabilityOptions, StabilityResult } from "./select/stability.js";
export { relaxedFit } from "./select/relaxed.js";
export type { RelaxedFit } from "./select/relaxed.js";
export { adaptiveLasso } from "./select/adaptive.js";
export type { AdaptiveOptions } from "./select/adaptive.js";
export { groupLassoPath } from "./path/groupPath.js";
export type { GroupOptions, GroupPathFit } from "./path/groupPath.js";
export * from "./penalty/groupLasso.js";
export { nonconvexPath } from "./path/nonconvexPath.js";
export type { NonconvexFit, NonconvexOptions } from "./path/nonconvexPath.js";
export * from "./penalty/nonconvex.js";
export { multinomialPath } from "./path/multinomialPath.js";
export { fit } from "./path/fit.js";
export { earlyEnd } from "./path/earlyEnd.js";
export type { FitOptions, FitFamily, FitPenalty, ModelPath } from "./path/fit.js";
export type { MultinomialFit, MultinomialOptions } from "./path/multinomialPath.js";
export * from "./prox/penalties.js";
export * from "./prox/smooth.js";
export * from "./prox/solvers.js";
export { explainSparsity } from "./explain/explain.js";
export type { ExplainFamily, FeatureExplanation, SparsityExplanation } from "./explain/explain.js";
export {
  bayesianLasso,
  gamma as gammaDraw,
  inverseGaussian,
  lambdaForPrior,
  logPosterior,
  priorScale,
} from "./bayes/bayesianLasso.js";
export type { BayesianLassoOptions, BayesianLassoResult } from "./bayes/bayesianLasso.js";
export { earlyStoppingVsRidge } from "./theory/earlyStopping.js";
export type { EarlyStoppingPoint } from "./theory/earlyStopping.js";
export { polynomialBiasVariance } from "./theory/biasVariance.js";
export type { BiasVarianceOptions, BiasVariancePoint } from "./theory/biasVariance.js";
export { constraintPath } from "./prox/constrained.js";
export { proxPath, PATH_SOLVERS } from "./prox/proxPath.js";
export type { PathSolver } from "./prox/proxPath.js";
export * from "./nn/optim.js";
export * from "./nn/layers.js";
export * from "./nn/losses.js";
export { Sequential } from "./nn/sequential.js";
export { trainMlp, OPTIMIZERS, histogram, pruneByMagnitude } from "./nn/train.js";
export type { EpochRecord, OptimizerName, TrainedMlp, TrainOptions } from "./nn/train.js";
