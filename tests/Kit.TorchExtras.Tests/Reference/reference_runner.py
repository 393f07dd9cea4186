# Runs the reference side of a batch of cases the C# tests wrote: for each case, builds its inputs,
# executes its PyTorch code, and writes every output and gradient as raw float64 for the C# side to compare.
# Usage: reference_runner.py DIR   (DIR/manifest.json in, DIR/results.json and DIR/*.bin out)
import json, math, os, sys, traceback
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
folder = sys.argv[1]
manifest = json.load(open(os.path.join(folder, "manifest.json")))
DT = {"Float32": torch.float32, "Float64": torch.float64, "Int64": torch.int64, "Int32": torch.int32,
      "Bool": torch.bool, "Float16": torch.float16, "BFloat16": torch.bfloat16, "Byte": torch.uint8}


def read(spec):
    raw = bytearray(open(os.path.join(folder, spec["file"]), "rb").read())
    t = torch.frombuffer(raw, dtype=DT[spec["dtype"]]) if raw else torch.empty(0, dtype=DT[spec["dtype"]])
    t = t.reshape(spec["shape"]).clone()
    if spec["requires_grad"]:
        t.requires_grad_(True)
    return t


def weights(t):
    # The same fixed weights as the C# side, so gradients are not the trivial ones of a plain sum.
    return torch.sin(torch.arange(t.numel(), dtype=torch.float64) * 0.37 + 1).reshape(t.shape)


def as_real(t):
    t = t.detach() if not t.requires_grad else t
    return torch.view_as_real(t) if t.is_complex() else t


def write(name, t):
    t = as_real(t).detach().to(torch.float64).contiguous()
    path = os.path.join(folder, name + ".bin")
    with open(path, "wb") as f:
        f.write(t.numpy().tobytes())
    return {"file": name + ".bin", "shape": list(t.shape)}


results = {}
for case in manifest["cases"]:
    name = case["name"]
    try:
        I = {k: read(v) for k, v in case["inputs"].items()}
        G = {}

        def load(m):
            m.load_state_dict({k[2:]: v.detach() for k, v in I.items() if k.startswith("p.")}, strict=True)
            return m

        def params(m):
            return {"p." + n: p for n, p in m.named_parameters()}

        scope = {"torch": torch, "nn": nn, "F": F, "I": I, "G": G, "load": load, "params": params, "math": math}
        exec(case["code"], scope)
        out = scope["out"]
        outs = list(out) if isinstance(out, (list, tuple)) else [out]
        loss = None
        for o in outs:
            if o.requires_grad:
                r = as_real(o)
                term = (r.to(torch.float64) * weights(r)).sum()
                loss = term if loss is None else loss + term
        if loss is not None:
            loss.backward()
        res = {"outputs": [write(f"{name}__out{i}", o) for i, o in enumerate(outs)], "grads": {}}
        grads = {k: v for k, v in I.items() if v.requires_grad}
        grads.update(G)
        for k, v in grads.items():
            if v.grad is not None:
                res["grads"][k] = write(f"{name}__grad_{k}", v.grad)
        results[name] = res
    except Exception:
        results[name] = {"error": traceback.format_exc()}

json.dump(results, open(os.path.join(folder, "results.json"), "w"))
