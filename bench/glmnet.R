# Times glmnet on the benchmark cells written by bench/run.mjs and writes each fit for comparison.
# Usage: Rscript bench/glmnet.R OUTDIR REPEATS CELL...   (a cell is NxP_RHO)
suppressMessages({ library(glmnet); library(jsonlite) })
here <- dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)))
source(file.path(here, "timing.R"))
args <- commandArgs(trailingOnly = TRUE)
out <- args[1]; reps <- as.integer(args[2]); cells <- args[-(1:2)]
for (cell in cells) {
  dims <- as.integer(strsplit(strsplit(cell, "_")[[1]][1], "x")[[1]])
  n <- dims[1]; p <- dims[2]
  x <- matrix(readBin(file.path(out, paste0(cell, ".x.bin")), "double", n * p, size = 8, endian = "little"), n, p)
  y <- readBin(file.path(out, paste0(cell, ".y.bin")), "double", n, size = 8, endian = "little")
  times <- numeric(reps)
  fit <- glmnet(x, y)
  # Each rep a batch of fits lasting >= 0.2 s (timing.R): proc.time counts milliseconds.
  for (r in seq_len(reps)) {
    gc()
    times[r] <- batch(function() fit <<- glmnet(x, y))
  }
  B <- fit$beta  # dgCMatrix: non-zeros per λ
  coefs <- lapply(seq_along(fit$lambda), function(k) {
    col <- B[, k]; i <- which(col != 0); list(index = i - 1, value = unname(col[i]))
  })
  writeLines(toJSON(list(seconds = times, lambda = fit$lambda, intercept = unname(fit$a0), coefficients = coefs),
                    digits = NA, auto_unbox = FALSE), file.path(out, paste0(cell, ".glmnet.json")))
  cat(cell, "glmnet", median(times), "\n")
}
