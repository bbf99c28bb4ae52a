# Times glmnet 4.1's default ridge path (alpha = 0) on the cells written by bench/ridge.mjs and
# writes its λ sequence and objective at each λ, (1/2n)‖y − a₀ − Xβ‖² + (λ/2)Σ(sⱼβⱼ)², sⱼ the
# population sd (glmnet standardizes), for the comparison with the exact path.
# Usage: Rscript bench/glmnet-ridge.R OUTDIR REPEATS CELL...   (a cell is NxP)
# Each repeat times a batch of fits lasting at least 0.2 s (R's clock counts milliseconds).
suppressMessages({ library(glmnet); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
out <- args[1]; reps <- as.integer(args[2]); cells <- args[-(1:2)]
here <- dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)))
source(file.path(here, "timing.R"))  # batch(f): seconds per call over a batch lasting >= 0.2 s
for (cell in cells) {
  dims <- as.integer(strsplit(cell, "x")[[1]]); n <- dims[1]; p <- dims[2]
  x <- matrix(readBin(file.path(out, paste0("ridge.", cell, ".x.bin")), "double", n * p, size = 8, endian = "little"), n, p)
  y <- readBin(file.path(out, paste0("ridge.", cell, ".y.bin")), "double", n, size = 8, endian = "little")
  times <- numeric(reps)
  for (r in seq_len(reps)) { gc(); times[r] <- batch(function() fit <<- glmnet(x, y, alpha = 0)) }
  sdv <- sqrt(colMeans(x^2) - colMeans(x)^2)
  obj <- sapply(seq_along(fit$lambda), function(k) {
    res <- y - as.vector(x %*% fit$beta[, k]) - fit$a0[k]
    mean(res^2) / 2 + fit$lambda[k] / 2 * sum((fit$beta[, k] * sdv)^2)
  })
  writeLines(toJSON(list(seconds = times, lambda = fit$lambda, objective = obj), digits = NA),
             file.path(out, paste0("ridge.", cell, ".glmnet.json")))
  cat("ridge", cell, "glmnet", median(times), "s\n")
}
