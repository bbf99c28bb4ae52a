"""Times scikit-learn's lasso_path on the benchmark cells, at glmnet's lambda sequence.

lasso_path has no intercept or standardization, so X is standardized (population sd, as glmnet)
and y centred beforehand, outside the timed region; coefficients are mapped back to the original
scale. sklearn's objective (1/2n)||y - Xw||^2 + alpha ||w||_1 is glmnet's with alpha = lambda.
Usage: /usr/bin/python3 bench/sklearn.py OUTDIR REPEATS CELL...
"""
import json
import sys
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import lasso_path

warnings.simplefilter("ignore", ConvergenceWarning)
out, reps, cells = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
for cell in cells:
    n, p = map(int, cell.split("_")[0].split("x"))
    x = np.fromfile(f"{out}/{cell}.x.bin", dtype="<f8").reshape((p, n)).T
    y = np.fromfile(f"{out}/{cell}.y.bin", dtype="<f8")
    lam = np.array(json.load(open(f"{out}/{cell}.glmnet.json"))["lambda"])
    xm = x.mean(axis=0)
    xs = x.std(axis=0)
    xz = np.asfortranarray((x - xm) / xs)
    ym = y.mean()
    yc = y - ym
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        alphas, coefs, _gaps = lasso_path(xz, yc, alphas=lam)
        times.append(time.perf_counter() - t0)
    beta = coefs / xs[:, None]
    coefficients = []
    intercept = []
    for k in range(len(alphas)):
        nz = np.nonzero(beta[:, k])[0]
        coefficients.append({"index": nz.tolist(), "value": beta[nz, k].tolist()})
        intercept.append(float(ym - xm[nz] @ beta[nz, k]))
    json.dump({"seconds": times, "lambda": alphas.tolist(), "intercept": intercept,
               "coefficients": coefficients}, open(f"{out}/{cell}.sklearn.json", "w"))
    print(cell, "sklearn", float(np.median(times)), flush=True)
