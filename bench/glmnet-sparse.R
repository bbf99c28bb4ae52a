# Writes the sparse benchmark cell and times glmnet 4.1's default binomial and Gaussian paths on it: a
# text-like design of 20000 documents x 50000 terms at 0.1 % density (term frequencies Zipf-like,
# values log(1 + count)), labels from a logistic model on 60 of the 2000 commonest terms.
# Usage: Rscript bench/glmnet-sparse.R OUTDIR REPEATS [MIN_SECONDS]
# Each repeat times a batch of fits lasting at least MIN_SECONDS (default 0.2 s; R's clock counts ms). glmnet's
# objective at each of its points (the mean loss + λ Σ sⱼ|βⱼ|, sⱼ the population sd) is written
# too, for the comparison. bench/sparse.mjs runs this once per repeat (REPEATS 1), alternating
# with its own timed batches.
suppressMessages({ library(glmnet); library(Matrix); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
out <- args[1]; reps <- as.integer(args[2])
min_seconds <- if (length(args) >= 3) as.numeric(args[3]) else 0.2
here <- dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)))
source(file.path(here, "timing.R"))  # batch(f): seconds per call over a batch lasting >= 0.2 s
set.seed(11)
n <- 20000; p <- 50000; nnz <- n * p * 0.001
w <- 1 / (seq_len(p) + 20)^0.7; w <- w / sum(w)
j <- sample.int(p, nnz, replace = TRUE, prob = w)
i <- sample.int(n, nnz, replace = TRUE)
x <- sparseMatrix(i = i, j = j, x = 1, dims = c(n, p))   # repeated (i, j) pairs add up: counts
x@x <- log1p(x@x)
beta <- numeric(p); s <- sample.int(2000, 60); beta[s] <- rnorm(60) * 1.5
y <- as.numeric(runif(n) < 1 / (1 + exp(-(as.vector(x %*% beta) - 0.5))))
# Each path at glmnet's default thresh (1e-7) and at thresh 1e-9 (our default's value, where glmnet's
# objective matches ours to about 1e-7 relative: "matched").
objective <- function(f, gaussian) sapply(seq_along(f$lambda), function(k) {
  eta <- as.vector(x %*% f$beta[, k]) + f$a0[k]
  loss <- if (gaussian) mean((y - eta)^2) / 2 else mean(log1p(exp(-abs(eta))) + pmax(eta, 0) - y * eta)
  loss + f$lambda[k] * sum(abs(f$beta[, k]) * sdv)
})
sdv <- sqrt(colMeans(x^2) - colMeans(x)^2)
run <- function(gaussian, thresh) {
  fam <- if (gaussian) "gaussian" else "binomial"
  secs <- numeric(reps)
  for (r in seq_len(reps)) { gc(); secs[r] <- batch(function() f <<- glmnet(x, y, family = fam, thresh = thresh), min_seconds) }
  list(seconds = I(secs), lambda = f$lambda, objective = objective(f, gaussian), df = f$df, npasses = f$npasses)
}
# One untimed fit of each family first: a new R process's first call is slower (it ran 2.4 s, the
# next 0.9 s), and the Node side warms up too.
invisible(glmnet(x, y, family = "binomial")); invisible(glmnet(x, y))
fit <- run(FALSE, 1e-7); fitm <- run(FALSE, 1e-9)
# The Gaussian lasso path on the same design and labels (a linear probability model).
gfit <- run(TRUE, 1e-7); gfitm <- run(TRUE, 1e-9)
writeBin(as.integer(x@p), file.path(out, "sparse.colptr.bin"), size = 4)
writeBin(as.integer(x@i), file.path(out, "sparse.rowidx.bin"), size = 4)
writeBin(as.double(x@x), file.path(out, "sparse.values.bin"))
writeLines(toJSON(c(list(n = n, p = p, nnz = length(x@x), y = y), fit,
                   list(matched = fitm, gaussian = c(gfit, list(matched = gfitm)))),
                 digits = NA, auto_unbox = TRUE),
           file.path(out, "sparse.glmnet.json"))
cat("sparse glmnet", median(fit$seconds), "s (thresh 1e-9:", median(fitm$seconds), "s),", fit$npasses, "passes\n")
cat("sparse glmnet gaussian", median(gfit$seconds), "s (thresh 1e-9:", median(gfitm$seconds), "s),", gfit$npasses, "passes\n")
