# Training throughput of PyTorch (one thread) on the digits MLP of issue 5, for bench/mlp.mjs:
# 64 → 256 → 256 → 10, ReLU, dropout 0.3, AdamW (lr 1e-3, wd 0.01 on weights), label smoothing
# 0.1, batch B, shuffled each epoch; only the training steps are timed. Float32 (PyTorch's
# default) and Float64. Usage: python3 bench/torch_mlp.py EPOCHS REPS BATCH  → JSON on stdout.
import json, sys, time
import numpy as np
import torch
import torch.nn as nn

torch.set_num_threads(1)
epochs, reps, batch = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
data = np.loadtxt("data/digits.csv", delimiter=",", skiprows=1)
X, y = data[:, :64], data[:, 64].astype(int)
test = np.arange(len(y)) % 5 == 0
mu, sd = X[~test].mean(0), X[~test].std(0)
sd[sd == 0] = 1
out = {"torch": torch.__version__, "threads": torch.get_num_threads()}
for dtype, name in [(torch.float32, "float32"), (torch.float64, "float64")]:
    xt = torch.tensor((X[~test] - mu) / sd, dtype=dtype)
    yt = torch.tensor(y[~test])
    xe = torch.tensor((X[test] - mu) / sd, dtype=dtype)
    ye = torch.tensor(y[test])
    rates, accs = [], []
    for rep in range(reps):
        torch.manual_seed(rep)
        model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Dropout(0.3), nn.Linear(256, 256),
                              nn.ReLU(), nn.Dropout(0.3), nn.Linear(256, 10)).to(dtype)
        decay = [p for n_, p in model.named_parameters() if n_.endswith("weight")]
        rest = [p for n_, p in model.named_parameters() if not n_.endswith("weight")]
        opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01},
                                 {"params": rest, "weight_decay": 0.0}], lr=1e-3)
        loss_fn = nn.CrossEntropyLoss(label_smoothing=0.1)
        model.train()
        seen, t0 = 0, time.perf_counter()
        for epoch in range(epochs):
            order = torch.randperm(len(yt))
            for s in range(0, len(yt), batch):
                idx = order[s:s + batch]
                opt.zero_grad()
                loss = loss_fn(model(xt[idx]), yt[idx])
                loss.backward()
                opt.step()
                seen += len(idx)
        rates.append(seen / (time.perf_counter() - t0))
        model.eval()
        with torch.no_grad():
            accs.append((model(xe).argmax(1) == ye).double().mean().item())
    out[name] = {"samplesPerSecond": rates, "testAccuracy": accs}
print(json.dumps(out))
