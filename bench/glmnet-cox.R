# Writes the Cox benchmark cells and times glmnet 4.1's default Cox path (Breslow) on each.
# Usage: Rscript bench/glmnet-cox.R OUTDIR REPEATS
# Cells: the lung data (survival::lung, complete cases, 7 covariates) and simulations of
# 4000 x 100 and 500 x 2000 (exponential times, exp(eta) hazards, 10 true effects, censoring at
# rate 0.5). Each repeat times a batch of fits lasting at least 0.2 s (R's clock counts ms).
suppressMessages({ library(glmnet); library(survival); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
out <- args[1]; reps <- as.integer(args[2])
here <- dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)))
source(file.path(here, "timing.R"))  # batch(f): seconds per call over a batch lasting >= 0.2 s
lung <- na.omit(survival::lung[, c("time", "status", "age", "sex", "ph.ecog", "ph.karno", "pat.karno", "meal.cal", "wt.loss")])
sim <- function(n, p, seed) {
  set.seed(seed)
  x <- matrix(rnorm(n * p), n, p)
  eta <- drop(x[, 1:10] %*% rep(c(0.5, -0.5), 5))
  t <- rexp(n, exp(eta)); c <- rexp(n, 0.5)
  list(x = x, time = pmin(t, c), status = as.numeric(t <= c))
}
cells <- list(
  lung = list(x = as.matrix(lung[, -(1:2)]), time = lung$time, status = lung$status - 1),
  cox4000x100 = sim(4000, 100, 1),
  cox500x2000 = sim(500, 2000, 2)
)
for (name in names(cells)) {
  d <- cells[[name]]
  y <- Surv(d$time, d$status)
  times <- numeric(reps)
  for (r in seq_len(reps)) { gc(); times[r] <- batch(function() fit <<- glmnet(d$x, y, family = "cox")) }
  B <- as.matrix(fit$beta)
  writeBin(as.vector(d$x), file.path(out, paste0(name, ".x.bin")))
  res <- list(n = nrow(d$x), p = ncol(d$x), time = d$time, status = d$status,
              seconds = I(times), lambda = fit$lambda,
              beta = lapply(seq_along(fit$lambda), function(k) unname(B[, k])))
  writeLines(toJSON(res, digits = NA, auto_unbox = TRUE), file.path(out, paste0(name, ".glmnet-cox.json")))
  cat(name, "glmnet", median(times), "s,", length(fit$lambda), "points\n")
}
