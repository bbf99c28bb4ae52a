# Times glmnet's binomial path and cv.glmnet (given fold ids) on cells written by bench/binomial.mjs.
# Usage: Rscript bench/glmnet-binomial.R OUTDIR REPEATS CELL...
suppressMessages({ library(glmnet); library(jsonlite) })
here <- dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)))
source(file.path(here, "timing.R"))  # batch(f, min_seconds)
args <- commandArgs(trailingOnly = TRUE)
out <- args[1]; reps <- as.integer(args[2]); cells <- args[-(1:2)]
for (cell in cells) {
  dims <- as.integer(strsplit(strsplit(cell, "_")[[1]][1], "x")[[1]])
  n <- dims[1]; p <- dims[2]
  x <- matrix(readBin(file.path(out, paste0(cell, ".x.bin")), "double", n * p, size = 8, endian = "little"), n, p)
  y <- readBin(file.path(out, paste0(cell, ".y.bin")), "double", n, size = 8, endian = "little")
  foldid <- readBin(file.path(out, paste0(cell, ".folds.bin")), "integer", n, size = 4, endian = "little")
  path <- numeric(reps); tight <- numeric(reps); cvt <- numeric(reps)
  # proc.time counts milliseconds, and the smallest cells' paths take about ten: each repeat times
  # a batch of fits lasting at least 0.1 s and keeps the time per fit (as bench/binomial.mjs does).
  for (r in seq_len(reps)) {
    gc(); path[r] <- batch(function() fit <<- glmnet(x, y, family = "binomial"), 0.1)
  }
  # The same path solved tighter (thresh 1e-11), for a comparison at matched accuracy.
  for (r in seq_len(reps)) {
    gc(); t0 <- proc.time()[["elapsed"]]
    fitT <- glmnet(x, y, family = "binomial", lambda = fit$lambda, thresh = 1e-11, maxit = 1e6)
    tight[r] <- proc.time()[["elapsed"]] - t0
  }
  for (r in seq_len(reps)) {
    gc(); t0 <- proc.time()[["elapsed"]]; cv <- cv.glmnet(x, y, family = "binomial", foldid = foldid); cvt[r] <- proc.time()[["elapsed"]] - t0
  }
  sparse <- function(f) lapply(seq_along(f$lambda), function(k) { col <- f$beta[, k]; i <- which(col != 0); list(index = i - 1, value = unname(col[i])) })
  writeLines(toJSON(list(pathSeconds = path, tightSeconds = tight, cvSeconds = cvt, lambda = fit$lambda,
                         intercept = unname(fit$a0), coefficients = sparse(fit),
                         tightIntercept = unname(fitT$a0), tightCoefficients = sparse(fitT),
                         lambdaMin = cv$lambda.min, lambda1se = cv$lambda.1se),
                    digits = NA, auto_unbox = FALSE), file.path(out, paste0(cell, ".glmnet-binomial.json")))
  cat(cell, "glmnet path", median(path), "cv", median(cvt), "\n")
}
