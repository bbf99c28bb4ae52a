# Writes the sparse benchmark cell and times glmnet 4.1's default binomial and Gaussian paths on it: a
# text-like design of 20000 documents x 50000 terms at 0.1 % density (term frequencies Zipf-like,
# values log(1 + count)), labels from a logistic model on 60 of the 2000 commonest terms.
# Usage: Rscript bench/glmnet-sparse.R OUTDIR REPEATS
# Each repeat times a batch of fits lasting at least 0.2 s (R's clock counts ms). glmnet's
# objective at each of its points (the mean logistic loss + λ Σ sⱼ|βⱼ|, sⱼ the population sd) is
# written too, for the comparison.
suppressMessages({ library(glmnet); library(Matrix); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
out <- args[1]; reps <- as.integer(args[2])
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
times <- numeric(reps)
for (r in seq_len(reps)) { gc(); times[r] <- batch(function() fit <<- glmnet(x, y, family = "binomial")) }
sdv <- sqrt(colMeans(x^2) - colMeans(x)^2)
obj <- sapply(seq_along(fit$lambda), function(k) {
  eta <- as.vector(x %*% fit$beta[, k]) + fit$a0[k]
  mean(log1p(exp(-abs(eta))) + pmax(eta, 0) - y * eta) + fit$lambda[k] * sum(abs(fit$beta[, k]) * sdv)
})
# The Gaussian lasso path on the same design and labels (a linear probability model).
gtimes <- numeric(reps)
for (r in seq_len(reps)) { gc(); gtimes[r] <- batch(function() gfit <<- glmnet(x, y)) }
gobj <- sapply(seq_along(gfit$lambda), function(k) {
  res <- y - as.vector(x %*% gfit$beta[, k]) - gfit$a0[k]
  mean(res^2) / 2 + gfit$lambda[k] * sum(abs(gfit$beta[, k]) * sdv)
})
writeBin(as.integer(x@p), file.path(out, "sparse.colptr.bin"), size = 4)
writeBin(as.integer(x@i), file.path(out, "sparse.rowidx.bin"), size = 4)
writeBin(as.double(x@x), file.path(out, "sparse.values.bin"))
writeLines(toJSON(list(n = n, p = p, nnz = length(x@x), y = y, seconds = I(times), lambda = fit$lambda,
                       objective = obj, df = fit$df, npasses = fit$npasses,
                       gaussian = list(seconds = I(gtimes), lambda = gfit$lambda, objective = gobj,
                                       df = gfit$df, npasses = gfit$npasses)), digits = NA, auto_unbox = TRUE),
           file.path(out, "sparse.glmnet.json"))
cat("sparse glmnet", median(times), "s,", length(fit$lambda), "points,", fit$npasses, "passes\n")
cat("sparse glmnet gaussian", median(gtimes), "s,", length(gfit$lambda), "points,", gfit$npasses, "passes\n")
