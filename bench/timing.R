# Timing shared by the R benchmark scripts (each sources it: source(file.path(here, "timing.R"))).
# proc.time counts milliseconds: batch(f) calls f until at least `min_seconds` have passed and
# returns the seconds per call (as bench/timing.mjs's batch does for our side).
batch <- function(f, min_seconds = 0.2) {
  k <- 0; t0 <- proc.time()[["elapsed"]]
  repeat { f(); k <- k + 1; el <- proc.time()[["elapsed"]] - t0; if (el >= min_seconds) break }
  el / k
}
