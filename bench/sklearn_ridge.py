"""Times scikit-learn's RidgeCV (efficient leave-one-out, gcv_mode='auto') on the cells written by
bench/ridge.mjs, at the exact ridge path's λ grid.

RidgeCV minimizes ||y - Xw||^2 + alpha ||w||^2 without standardizing, so X is standardized
(population sd, as glmnet) outside the timed region, and alpha = n * lambda makes its objective
2n times ours. Usage: /usr/bin/python3 bench/sklearn_ridge.py OUTDIR REPEATS CELL...
"""
import json
import sys
import time

import numpy as np
from sklearn.linear_model import RidgeCV

out, reps, cells = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
for cell in cells:
    n, p = map(int, cell.split("x"))
    x = np.fromfile(f"{out}/ridge.{cell}.x.bin", dtype="<f8").reshape((p, n)).T
    y = np.fromfile(f"{out}/ridge.{cell}.y.bin", dtype="<f8")
    lam = np.array(json.load(open(f"{out}/ridge.{cell}.ours.json"))["lambda"])
    xz = (x - x.mean(axis=0)) / x.std(axis=0)
    times = []
    for _ in range(reps):
        k, t0 = 0, time.perf_counter()
        while True:
            model = RidgeCV(alphas=n * lam, gcv_mode="auto").fit(xz, y)
            k += 1
            el = time.perf_counter() - t0
            if el >= 0.2:
                break
        times.append(el / k)
    json.dump(
        {"seconds": times, "lambdaLoo": float(model.alpha_) / n, "bestScore": float(model.best_score_)},
        open(f"{out}/ridge.{cell}.sklearn.json", "w"),
    )
    print("ridge", cell, "sklearn RidgeCV", sorted(times)[len(times) // 2], "s")
