"""Helpers shared by the reference scripts: a canonical description of any object torch.load returns, and
safetensors read/written by hand with struct + json (an independent reference; the safetensors package is
not in Debian)."""
import hashlib, json, struct
from collections import Counter, OrderedDict
import torch

TORCH2ST = {torch.float32: 'F32', torch.float16: 'F16', torch.bfloat16: 'BF16', torch.float64: 'F64',
            torch.int64: 'I64', torch.int32: 'I32', torch.int16: 'I16', torch.int8: 'I8', torch.uint8: 'U8',
            torch.bool: 'BOOL'}
ST2TORCH = {v: k for k, v in TORCH2ST.items()}


def tensor_bytes(t):
    t = t.detach().contiguous()
    if t.dtype == torch.bfloat16:
        t = t.view(torch.int16)
    return t.numpy().tobytes()


def describe(o):
    if o is None:
        return {'k': 'none'}
    if isinstance(o, bool):
        return {'k': 'bool', 'v': o}
    if isinstance(o, int):
        return {'k': 'int', 'v': str(o)}
    if isinstance(o, float):
        return {'k': 'float', 'v': struct.pack('<d', o).hex()}
    if isinstance(o, str):
        return {'k': 'str', 'v': o}
    if isinstance(o, bytes):
        return {'k': 'bytes', 'v': o.hex()}
    if isinstance(o, torch.Tensor):
        return {'k': 'tensor', 'dtype': str(o.dtype)[len('torch.'):], 'shape': list(o.shape),
                'sha': hashlib.sha256(tensor_bytes(o)).hexdigest(), 'grad': o.requires_grad,
                'param': isinstance(o, torch.nn.Parameter)}
    if isinstance(o, torch.dtype):
        return {'k': 'dtype', 'v': str(o)[len('torch.'):]}
    if isinstance(o, torch.device):
        return {'k': 'device', 'v': str(o)}
    if isinstance(o, tuple):
        return {'k': 'tuple', 'v': [describe(x) for x in o]}
    if isinstance(o, list):
        return {'k': 'list', 'v': [describe(x) for x in o]}
    if isinstance(o, dict):
        kind = 'counter' if isinstance(o, Counter) else 'odict' if isinstance(o, OrderedDict) else 'dict'
        r = {'k': kind, 'v': [[describe(k), describe(v)] for k, v in o.items()]}
        meta = getattr(o, '_metadata', None)
        if meta is not None:
            r['meta'] = describe(meta)
        return r
    raise TypeError(f'cannot describe {type(o)}')


def write_safetensors(path, tensors, metadata=None):
    header, blobs, offset = {}, [], 0
    if metadata:
        header['__metadata__'] = metadata
    for name, t in tensors.items():
        b = tensor_bytes(t)
        header[name] = {'dtype': TORCH2ST[t.dtype], 'shape': list(t.shape), 'data_offsets': [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    h = json.dumps(header).encode()
    h += b' ' * ((8 - len(h) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)) + h + b''.join(blobs))


def read_safetensors(path):
    with open(path, 'rb') as f:
        b = f.read()
    n = struct.unpack('<Q', b[:8])[0]
    assert (8 + n) % 8 == 0, f'data section starts at {8 + n}, not 8-aligned'
    assert b[8:9] == b'{', 'header does not start with {'
    header = json.loads(b[8:8 + n])
    meta = header.pop('__metadata__', {})
    out, end = OrderedDict(), 0
    for name, v in sorted(header.items(), key=lambda kv: kv[1]['data_offsets'][0]):
        s, e = v['data_offsets']
        assert s == end, f'{name}: gap or overlap at {s} (expected {end})'
        end = e
        dtype = ST2TORCH[v['dtype']]
        raw = bytearray(b[8 + n + s:8 + n + e])
        t = torch.empty(0, dtype=torch.uint8) if not raw else torch.frombuffer(raw, dtype=torch.uint8)
        out[name] = t.view(dtype).reshape(v['shape'])
    assert 8 + n + end == len(b), 'bytes after the last tensor'
    return out, meta
