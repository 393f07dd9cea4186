# The Python side of `kit bench torch`: the same three measurements as the C# side, printed as JSON.
# Each figure is the best of its repetitions, so that other load on the machine disturbs it least.
# Usage: torch_bench.py THREADS MATMUL_ITERS OP_ITERS TRAIN_STEPS
import json, sys, time
import torch

threads, mm_iters, op_iters, steps = (int(a) for a in sys.argv[1:5])
torch.set_num_threads(threads)
torch.manual_seed(0)

# (a) 1024x1024 float32 matmul
a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
for _ in range(3):
    a.matmul(b)
best = float("inf")
for _ in range(mm_iters):
    t = time.perf_counter()
    a.matmul(b)
    best = min(best, time.perf_counter() - t)
gflops = 2 * 1024 ** 3 / best / 1e9

# (d) the same product as a linear layer under CPU bf16 autocast, the weight a parameter (cast once, cached)
w = torch.randn(1024, 1024, requires_grad=True)
with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16):
    for _ in range(3):
        torch.nn.functional.linear(a, w)
    best = float("inf")
    for _ in range(mm_iters):
        t = time.perf_counter()
        torch.nn.functional.linear(a, w)
        best = min(best, time.perf_counter() - t)
bf16_gflops = 2 * 1024 ** 3 / best / 1e9

# (b) per-op overhead: add on one element
x, y = torch.ones(1), torch.ones(1)
for _ in range(1000):
    x + y
op_us = float("inf")
for _ in range(10):
    t = time.perf_counter()
    for _ in range(op_iters // 10):
        x + y
    op_us = min(op_us, (time.perf_counter() - t) / (op_iters // 10) * 1e6)

# (c) one training step of a Tacotron-sized LSTM stack: forward + backward + Adam
lstm = torch.nn.LSTM(80, 512, num_layers=2, batch_first=True)
head = torch.nn.Linear(512, 80)
opt = torch.optim.Adam(list(lstm.parameters()) + list(head.parameters()), lr=1e-3)
inp, target = torch.randn(16, 100, 80), torch.randn(16, 100, 80)


def step():
    opt.zero_grad()
    o, _ = lstm(inp)
    loss = torch.nn.functional.mse_loss(head(o), target)
    loss.backward()
    opt.step()


for _ in range(2):
    step()
train_ms = float("inf")
for _ in range(steps):
    t = time.perf_counter()
    step()
    train_ms = min(train_ms, (time.perf_counter() - t) * 1e3)

print(json.dumps({"matmul_gflops": gflops, "bf16_linear_gflops": bf16_gflops, "op_us": op_us, "train_step_ms": train_ms, "threads": torch.get_num_threads(),
                  "version": torch.__version__}))
