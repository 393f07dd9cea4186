"""Writes the files the kit must read, and prints their canonical descriptions as one JSON object."""
import json, os, sys
from collections import OrderedDict
import torch
from common import describe, write_safetensors

out, marker = sys.argv[1], sys.argv[2]
torch.manual_seed(1234)
results = {}


def save(name, obj):
    torch.save(obj, os.path.join(out, name))
    results[name] = describe(obj)


base = torch.randn(4, 6)
shared = torch.arange(20, dtype=torch.float32)
sd = OrderedDict()
sd['f32'] = torch.randn(3, 5)
sd['f16'] = torch.randn(2, 3).half()
sd['bf16'] = torch.randn(7).bfloat16()
sd['f64'] = torch.randn(2, 2, dtype=torch.float64)
sd['i64'] = torch.tensor([-(2 ** 40), -1, 0, 7, 2 ** 62])
sd['i32'] = torch.tensor([[1, -2], [3, -4]], dtype=torch.int32)
sd['i16'] = torch.tensor([-300, 300], dtype=torch.int16)
sd['i8'] = torch.tensor([-128, 127], dtype=torch.int8)
sd['u8'] = torch.tensor([0, 255, 9], dtype=torch.uint8)
sd['bool'] = torch.tensor([True, False, True])
sd['transposed'] = base.t()                        # non-contiguous, shares base's storage
sd['strided_view'] = base[1:, ::2]                 # offset and stride 2 inside the same storage
sd['permuted_3d'] = torch.randn(2, 3, 4).permute(2, 0, 1)
sd['shared_a'] = shared[2:9]                       # two names over one storage
sd['shared_b'] = shared.view(4, 5)
sd['tied_1'] = sd['f32']                           # the same tensor object twice, as tied weights
sd['scalar'] = torch.tensor(3.5)
sd['empty'] = torch.zeros(0, 4)
sd['param'] = torch.nn.Parameter(torch.randn(3))
sd['frozen_param'] = torch.nn.Parameter(torch.randn(2), requires_grad=False)
sd['grad_leaf'] = torch.randn(2).requires_grad_()
save('sd.pth', sd)

model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.BatchNorm1d(3), torch.nn.LSTM(3, 2))
save('module.pth', model.state_dict())               # carries _metadata, as load_state_dict expects

opt = torch.optim.Adam(model.parameters(), lr=1e-3)
model[0](torch.randn(5, 4)).sum().backward()
opt.step()
scheduler = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[100, 200], gamma=0.5)   # milestones: a Counter
save('ckpt.pth', {
    'scheduler': scheduler.state_dict(), 'device': torch.device('cuda', 0), 'cpu': torch.device('cpu'),
    'dtype': torch.bfloat16,
    'model': model.state_dict(), 'optimizer': opt.state_dict(), 'step': 1200, 'epoch': 3,
    'big': 2 ** 40, 'huge': 2 ** 70, 'neg': -5, 'name': 'tortoise ünïcode', 'none': None, 'flag': True,
    'ratio': 0.1, 'betas': (0.9, 0.999), 'blob': b'\x00\xff ab', 'nested': [1, [2.5, (None, 'x')], {}],
    'int_keys': {0: 'a', 7: {'step': torch.tensor(12.0)}}, 'many': list(range(1500)),
})

# The same archive re-zipped by Python's zipfile with deflate: another writer, and compressed records.
import zipfile
with zipfile.ZipFile(os.path.join(out, 'sd.pth')) as src, \
        zipfile.ZipFile(os.path.join(out, 'deflated.pth'), 'w', zipfile.ZIP_DEFLATED) as dst:
    for info in src.infolist():
        dst.writestr(info.filename, src.read(info.filename))
results['deflated.pth'] = results['sd.pth']


class Evil:
    def __reduce__(self):
        return (os.system, (f'touch {marker}',))


torch.save({'weights': torch.ones(2), 'payload': Evil()}, os.path.join(out, 'evil.pth'))

st = OrderedDict((k, v) for k, v in sd.items() if not k.startswith('tied'))
write_safetensors(os.path.join(out, 'ref.safetensors'), st, {'format': 'pt', 'source': 'reference'})
results['ref.safetensors'] = {'tensors': describe(OrderedDict((k, v.detach()) for k, v in st.items())),
                              'metadata': {'format': 'pt', 'source': 'reference'}}
print(json.dumps(results))
