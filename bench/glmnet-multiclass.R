# Times glmnet's default multinomial (ungrouped and grouped) and Poisson paths on cells written by
# bench/multiclass.mjs. Usage: Rscript bench/glmnet-multiclass.R OUTDIR REPEATS CELL...
# Each CELL is NAME:FAMILY:N:P[:TYPES] (TYPES: ungrouped,grouped or none; default all). R's clock
# counts milliseconds: each repeat times a batch of fits
# lasting at least 0.2 s and keeps the time per fit.
suppressMessages({ library(glmnet); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
out <- args[1]; reps <- as.integer(args[2]); cells <- args[-(1:2)]
here <- dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)))
source(file.path(here, "timing.R"))  # batch(f): seconds per call over a batch lasting >= 0.2 s
sparse <- function(b) { i <- which(b != 0); list(index = I(i - 1), value = I(unname(b[i]))) }
for (spec in cells) {
  s <- strsplit(spec, ":")[[1]]
  name <- s[1]; family <- s[2]; n <- as.integer(s[3]); p <- as.integer(s[4])
  x <- matrix(readBin(file.path(out, paste0(name, ".x.bin")), "double", n * p, size = 8, endian = "little"), n, p)
  y <- readBin(file.path(out, paste0(name, ".y.bin")), "double", n, size = 8, endian = "little")
  res <- list()
  types <- if (length(s) >= 5) strsplit(s[5], ",")[[1]] else if (family == "multinomial") c("ungrouped", "grouped") else c("none")
  for (type in types) {
    times <- numeric(reps); warn <- ""
    run <- function() {
      if (family == "multinomial")
        withCallingHandlers(glmnet(x, factor(y), family = "multinomial", type.multinomial = type),
                            warning = function(w) { warn <<- conditionMessage(w); invokeRestart("muffleWarning") })
      else glmnet(x, y, family = family)
    }
    for (r in seq_len(reps)) { gc(); times[r] <- batch(function() fit <<- run()) }
    if (family == "multinomial") {
      pts <- lapply(seq_along(fit$lambda), function(k) list(
        intercept = unname(fit$a0[, k]),
        beta = unname(lapply(fit$beta, function(b) sparse(b[, k])))))
    } else {
      pts <- lapply(seq_along(fit$lambda), function(k) list(
        intercept = I(unname(fit$a0[k])), beta = list(sparse(fit$beta[, k]))))
    }
    res[[type]] <- list(seconds = I(times), lambda = fit$lambda, points = pts, warning = warn)
    cat(name, type, "glmnet", median(times), "s,", length(fit$lambda), "points", warn, "\n")
  }
  writeLines(toJSON(res, digits = NA, auto_unbox = TRUE), file.path(out, paste0(name, ".glmnet-multiclass.json")))
}
