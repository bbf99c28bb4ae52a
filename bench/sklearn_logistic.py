"""Times scikit-learn's L1 logistic regression along a λ path (C = 1/(nλ)) on bench cells.
Usage: /usr/bin/python3 bench/sklearn_logistic.py OUTDIR CELL...  (reads CELL.lambda.json)"""
import json, sys, time
import numpy as np
from sklearn.linear_model import LogisticRegression

out, cells = sys.argv[1], sys.argv[2:]
for cell in cells:
    n, p = map(int, cell.split("_")[0].split("x"))
    x = np.fromfile(f"{out}/{cell}.x.bin", dtype="<f8").reshape(p, n).T
    y = np.fromfile(f"{out}/{cell}.y.bin", dtype="<f8")
    x = (x - x.mean(axis=0)) / x.std(axis=0)  # the path is on standardized features
    lam = json.load(open(f"{out}/{cell}.lambda.json"))
    res = {}
    for solver in ("saga", "liblinear"):
        t0 = time.perf_counter()
        m = LogisticRegression(penalty="l1", solver=solver, tol=1e-6, max_iter=100000,
                               warm_start=(solver == "saga"))
        coefs = []
        for l in lam:
            m.set_params(C=1.0 / (n * l))
            m.fit(x, y)
            coefs.append({"intercept": float(m.intercept_[0]), "coef": m.coef_[0].tolist()})
        res[solver] = {"seconds": time.perf_counter() - t0, "fits": coefs}
    json.dump(res, open(f"{out}/{cell}.sklearn-logistic.json", "w"))
    print(cell, "sklearn saga", round(res["saga"]["seconds"], 3), "liblinear", round(res["liblinear"]["seconds"], 3))
