# The Python library's quickstart, verbatim (the first five lines), then
# what it loaded. Run from any directory: it writes my_model.safetensors there.
import torch
from safetensors.torch import save_file, load_file
tensors = {"weight1": torch.zeros((1024, 1024)), "bias": torch.ones((1024,)), "embedding": torch.randn((500, 768))}
save_file(tensors, "my_model.safetensors")
loaded = load_file("my_model.safetensors")

import safetensors
from safetensors import safe_open

print(safetensors.__implementation__)
for name in sorted(loaded):
    print(name, tuple(loaded[name].shape), loaded[name].dtype,
          torch.equal(loaded[name], tensors[name]))
with safe_open("my_model.safetensors", framework="pt", device="cpu") as f:
    print(f.keys(), f.get_slice("embedding").get_shape())
