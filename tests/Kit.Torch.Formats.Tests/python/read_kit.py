"""Reads files the kit wrote (the .pth with torch.load, safetensors by hand) and prints their canonical
descriptions, plus the checks that need torch itself (shared storage, load_state_dict into a module)."""
import json, os, sys, zipfile
import torch
from common import describe, read_safetensors

folder = sys.argv[1]
results = {}
for name in sorted(os.listdir(folder)):
    path = os.path.join(folder, name)
    if name.endswith('.pth'):
        results[name] = describe(torch.load(path))
    elif name.endswith('.safetensors'):
        tensors, meta = read_safetensors(path)
        results[name] = {'tensors': describe(tensors), 'metadata': meta}

checks = {}
# Python's zipfile checks every record's CRC-32 and the zip structure independently of torch's reader.
checks['zip_damaged'] = {name: zipfile.ZipFile(os.path.join(folder, name)).testzip()
                         for name in sorted(os.listdir(folder)) if name.endswith('.pth')}
sd = torch.load(os.path.join(folder, 'kit_sd.pth'))
checks['arange_equal'] = torch.equal(sd['arange'], torch.arange(12, dtype=torch.float32).reshape(3, 4))
checks['tied_share_storage'] = sd['tied_a'].data_ptr() == sd['tied_b'].data_ptr()
checks['param_is_parameter'] = isinstance(sd['param'], torch.nn.Parameter) and sd['param'].requires_grad
linear = torch.nn.Linear(4, 3)
linear.load_state_dict(torch.load(os.path.join(folder, 'kit_linear.pth')))   # as tortoise-tts-fast loads weights
checks['linear_out'] = linear(torch.ones(1, 4)).detach().flatten().tolist()
print(json.dumps({'files': results, 'checks': checks}))
