"""A minimal UnifiedVoice-shaped PyTorch module written from TorToiSe's published architecture
(tortoise/models/autoregressive.py, arch_util.py, Hugging Face GPT-2 as TorToiSe builds it), with the
same parameter and buffer names, used as the reference the kit is compared against.

usage:
  unified_voice_reference.py make CONFIG_JSON WEIGHTS INPUTS OUTPUTS   write weights, inputs and outputs
  unified_voice_reference.py check CONFIG_JSON ORIGINAL SAVED          strict load + tensor-by-tensor equality
  unified_voice_reference.py load CONFIG_JSON SAVED                    strict load only
"""
import json, math, sys
import torch
import torch.nn as nn
import torch.nn.functional as F


def groups_for(channels):
    g = 8 if channels <= 16 else 16 if channels <= 64 else 32
    while channels % g != 0:
        g //= 2
    return g


class AttentionBlock(nn.Module):
    def __init__(self, channels, heads):
        super().__init__()
        self.heads = heads
        self.norm = nn.GroupNorm(groups_for(channels), channels)
        self.qkv = nn.Conv1d(channels, channels * 3, 1)
        self.proj_out = nn.Conv1d(channels, channels, 1)

    def forward(self, x):
        b, c, t = x.shape
        qkv = self.qkv(self.norm(x.float()).type(x.dtype))
        ch = c // self.heads
        q, k, v = qkv.reshape(b * self.heads, ch * 3, t).split(ch, dim=1)
        scale = 1 / math.sqrt(math.sqrt(ch))
        w = torch.einsum("bct,bcs->bts", q * scale, k * scale)
        w = torch.softmax(w.float(), dim=-1).type(w.dtype)
        a = torch.einsum("bts,bcs->bct", w, v).reshape(b, -1, t)
        return x + self.proj_out(a)


class ConditioningEncoder(nn.Module):
    def __init__(self, spec_dim, dim, blocks, heads):
        super().__init__()
        self.init = nn.Conv1d(spec_dim, dim, kernel_size=1)
        self.attn = nn.Sequential(*[AttentionBlock(dim, heads) for _ in range(blocks)])

    def forward(self, x):
        return self.attn(self.init(x))[:, :, 0]


class Conv1D(nn.Module):
    def __init__(self, nx, nf):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(nx, nf) * 0.02)
        self.bias = nn.Parameter(torch.randn(nf) * 0.02)

    def forward(self, x):
        return torch.addmm(self.bias, x.reshape(-1, x.size(-1)), self.weight).reshape(*x.shape[:-1], -1)


class Attention(nn.Module):
    def __init__(self, dim, heads, positions):
        super().__init__()
        self.heads = heads
        self.c_attn = Conv1D(dim, 3 * dim)
        self.c_proj = Conv1D(dim, dim)
        self.register_buffer("bias", torch.tril(torch.ones(positions, positions, dtype=torch.bool)).view(1, 1, positions, positions))
        self.register_buffer("masked_bias", torch.tensor(-1e4))

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.c_attn(x).split(d, dim=2)
        heads = lambda y: y.view(b, t, self.heads, d // self.heads).permute(0, 2, 1, 3)
        q, k, v = heads(q), heads(k), heads(v)
        w = q @ k.transpose(-1, -2) / math.sqrt(d // self.heads)
        w = torch.where(self.bias[:, :, :t, :t], w, self.masked_bias.to(w.dtype))
        a = (w.softmax(-1) @ v).permute(0, 2, 1, 3).reshape(b, t, d)
        return self.c_proj(a)


class MLP(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.c_fc = Conv1D(dim, 4 * dim)
        self.c_proj = Conv1D(4 * dim, dim)

    def forward(self, x):
        h = self.c_fc(x)
        return self.c_proj(0.5 * h * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (h + 0.044715 * torch.pow(h, 3.0)))))


class Block(nn.Module):
    def __init__(self, dim, heads, positions):
        super().__init__()
        self.ln_1 = nn.LayerNorm(dim)
        self.attn = Attention(dim, heads, positions)
        self.ln_2 = nn.LayerNorm(dim)
        self.mlp = MLP(dim)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self, layers, dim, heads, positions):
        super().__init__()
        self.h = nn.ModuleList([Block(dim, heads, positions) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(dim)

    def forward(self, x):
        for block in self.h:
            x = block(x)
        return self.ln_f(x)


class LearnedPositionEmbeddings(nn.Module):
    def __init__(self, seq_len, dim):
        super().__init__()
        self.emb = nn.Embedding(seq_len, dim)

    def forward(self, x):
        return self.emb(torch.arange(0, x.shape[1], device=x.device))


class UnifiedVoice(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        dim = c["ModelDim"]
        mel_positions = c["MaxMelTokens"] + 2 + c["MaxConditioningInputs"]
        text_positions = c["MaxTextTokens"] + 2
        self.conditioning_encoder = ConditioningEncoder(c["ConditioningMelChannels"], dim, c["ConditioningAttentionBlocks"], c["Heads"])
        self.text_embedding = nn.Embedding(c["TextVocabulary"], dim)
        self.mel_embedding = nn.Embedding(c["NumberMelCodes"], dim)
        self.gpt = GPT(c["Layers"], dim, c["Heads"], mel_positions + text_positions)
        self.mel_pos_embedding = LearnedPositionEmbeddings(mel_positions, dim)
        self.text_pos_embedding = LearnedPositionEmbeddings(text_positions, dim)
        self.final_norm = nn.LayerNorm(dim)
        self.text_head = nn.Linear(dim, c["TextVocabulary"])
        self.mel_head = nn.Linear(dim, c["NumberMelCodes"])

    def forward(self, cond_mels, text_inputs, text_lengths, mel_codes, wav_lengths):
        c = self.c
        text_inputs = text_inputs[:, :text_lengths.max()]
        mel_codes = mel_codes[:, :wav_lengths.max() // c["MelLengthCompression"]].clone()
        mel_lengths = torch.div(wav_lengths, c["MelLengthCompression"], rounding_mode="trunc")
        for b in range(len(mel_lengths)):
            end = mel_lengths[b] + 1
            if end < mel_codes.shape[-1]:
                mel_codes[b, end:] = c["StopMelToken"]
        text_inputs = F.pad(text_inputs, (0, 1), value=c["StopTextToken"])
        mel_codes = F.pad(mel_codes, (0, 1), value=c["StopMelToken"])
        cond = cond_mels.unsqueeze(1) if cond_mels.dim() == 3 else cond_mels
        conds = torch.stack([self.conditioning_encoder(cond[:, j]) for j in range(cond.shape[1])], dim=1).mean(dim=1).unsqueeze(1)
        text_in, text_tar = F.pad(text_inputs, (1, 0), value=c["StartTextToken"]), F.pad(text_inputs, (0, 1), value=c["StopTextToken"])
        mel_in, mel_tar = F.pad(mel_codes, (1, 0), value=c["StartMelToken"]), F.pad(mel_codes, (0, 1), value=c["StopMelToken"])
        text_emb = self.text_embedding(text_in) + self.text_pos_embedding(text_in)
        mel_emb = self.mel_embedding(mel_in) + self.mel_pos_embedding(mel_in)
        enc = self.final_norm(self.gpt(torch.cat([conds, text_emb, mel_emb], dim=1))[:, 1:])
        text_logits = self.text_head(enc[:, :text_emb.shape[1]]).permute(0, 2, 1)
        mel_logits = self.mel_head(enc[:, -mel_emb.shape[1]:]).permute(0, 2, 1)
        return F.cross_entropy(text_logits, text_tar), F.cross_entropy(mel_logits, mel_tar), text_logits, mel_logits


def randomize(model):
    # Every parameter random (zero-initialised projections and unit norms would hide a wrong name).
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn_like(p) * 0.1 + (1.0 if p.dim() == 1 and p.shape[0] == model.c["ModelDim"] else 0.0))


def make(c, weights, inputs, outputs):
    torch.manual_seed(1234)
    model = UnifiedVoice(c).eval()
    randomize(model)
    torch.save(model.state_dict(), weights)
    b = 3
    text_lengths = torch.tensor([7, 11, 9])
    wav_lengths = torch.tensor([9 * c["MelLengthCompression"] + 100, 6 * c["MelLengthCompression"], 12 * c["MelLengthCompression"] + 5])
    text = torch.randint(1, c["TextVocabulary"] - 1, (b, 14))
    mel = torch.randint(0, c["StartMelToken"], (b, 15))
    cond = torch.randn(b, c["MaxConditioningInputs"], c["ConditioningMelChannels"], 20)
    torch.save({"cond": cond, "text": text, "text_lengths": text_lengths, "mel": mel, "wav_lengths": wav_lengths}, inputs)
    with torch.no_grad():
        lt, lm, tl, ml = model(cond, text, text_lengths, mel, wav_lengths)
    torch.save({"loss_text": lt, "loss_mel": lm, "text_logits": tl.contiguous(), "mel_logits": ml.contiguous()}, outputs)


def check(c, original, saved):
    a, b = torch.load(original), torch.load(saved)
    assert list(a.keys()) == list(b.keys()), f"key order or names differ: {set(a) ^ set(b)}"
    for k in a:
        assert a[k].dtype == b[k].dtype, f"{k}: dtype {a[k].dtype} vs {b[k].dtype}"
        assert torch.equal(a[k], b[k]), f"{k}: values differ"
    UnifiedVoice(c).load_state_dict(b, strict=True)
    print(f"ok {len(b)}")


def load(c, saved):
    # What tortoise-tts-fast does with --ar-checkpoint: load_state_dict(torch.load(path)), strict.
    UnifiedVoice(c).load_state_dict(torch.load(saved), strict=True)
    print("ok")


if __name__ == "__main__":
    cfg = json.loads(sys.argv[2])
    {"make": make, "check": check, "load": load}[sys.argv[1]](cfg, *sys.argv[3:])
