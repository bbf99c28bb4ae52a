# Writes the benchmark cells of the families beyond the GLM paths and times glmnet 4.1's default
# path on each: mgaussian (2000 x 100, 4 responses), Gamma with the log link, the negative
# binomial (theta 2, log link) and the binomial probit (each 2000 x 50, family objects), and
# Cox with strata (3) and with (start, stop] data (2000 x 50).
# Usage: Rscript bench/glmnet-families.R OUTDIR REPEATS
# Each repeat times a batch of fits lasting at least 0.2 s (R's clock counts ms).
suppressMessages({ library(glmnet); library(survival); library(MASS); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
out <- args[1]; reps <- as.integer(args[2])
here <- dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)))
source(file.path(here, "timing.R"))  # batch(f): seconds per call over a batch lasting >= 0.2 s
set.seed(7)
n <- 2000; p <- 50
x <- matrix(rnorm(n * p), n, p)
eta <- drop(x[, 1:6] %*% c(0.4, -0.4, 0.3, -0.3, 0.2, -0.2))
xm <- matrix(rnorm(n * 100), n, 100)
Bm <- matrix(0, 100, 4); Bm[1:8, ] <- rnorm(32)
ym <- xm %*% Bm + matrix(rnorm(n * 4), n, 4)
tt <- rexp(n, exp(eta)); cc <- rexp(n, 0.5); st <- as.numeric(tt <= cc); tt <- pmin(tt, cc)
t0 <- runif(n) * tt * 0.5
strata <- sample(1:3, n, replace = TRUE)
cells <- list(
  mgaussian = list(x = xm, y = ym, family = "mgaussian", fam = "mgaussian"),
  gammaLog = list(x = x, y = rgamma(n, shape = 2, rate = 2 / exp(1 + eta)), family = Gamma(link = "log"),
                  fam = "gamma", link = "log"),
  negbin = list(x = x, y = rnbinom(n, size = 2, mu = exp(0.5 + eta)), family = negative.binomial(theta = 2),
                fam = "negative-binomial", link = "log", theta = 2),
  probit = list(x = x, y = as.numeric(runif(n) < pnorm(eta)), family = binomial(link = "probit"),
                fam = "binomial", link = "probit"),
  coxStrata = list(x = x, y = stratifySurv(Surv(tt, st), strata), family = "cox", fam = "cox",
                   time = tt, status = st, strata = strata),
  coxStartStop = list(x = x, y = Surv(t0, tt, st), family = "cox", fam = "cox", time = tt, status = st,
                      start = t0)
)
for (name in names(cells)) {
  d <- cells[[name]]
  times <- numeric(reps)
  for (r in seq_len(reps)) { gc(); times[r] <- batch(function() fit <<- glmnet(d$x, d$y, family = d$family)) }
  writeBin(as.vector(d$x), file.path(out, paste0(name, ".x.bin")))
  res <- list(n = nrow(d$x), p = ncol(d$x), family = d$fam, link = d$link, theta = d$theta,
              y = if (d$fam == "cox") NULL else as.vector(d$y), k = if (is.matrix(d$y) && d$fam != "cox") ncol(d$y) else 1,
              time = d$time, status = d$status, start = d$start, strata = d$strata,
              seconds = I(times), lambda = fit$lambda, devRatio = fit$dev.ratio)
  writeLines(toJSON(res, digits = NA, auto_unbox = TRUE, null = "null"), file.path(out, paste0(name, ".glmnet-families.json")))
  cat(name, "glmnet", median(times), "s,", length(fit$lambda), "points\n")
}
