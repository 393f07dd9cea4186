"""WaveRnnModel written in PyTorch, layer for layer and under its state dict's names, from Python's own conv1d,
repeat_interleave and GRU: WaveRnnReferenceTests loads the kit's weights into it (strictly) and compares
logits, losses and gradients; `kit bench models` trains it beside the kit. One file, so both hold the kit
to the same network."""
import torch
import torch.nn as nn
import torch.nn.functional as F

CONTEXT = 4  # ConditioningNetwork.ContextFrames: frames of context on each side of a training slice


def factors(hop):
    """ConditioningNetwork.UpsampleFactors: the hop as up to three stretch factors, primes dealt to the smallest."""
    primes, n, p = [], hop, 2
    while n > 1:
        while n % p == 0:
            primes.append(p)
            n //= p
        p += 1
    bins = []
    for q in sorted(primes, reverse=True):
        if len(bins) < 3:
            bins.append(q)
        else:
            bins[bins.index(min(bins))] *= q
    return sorted(bins, reverse=True) or [1]


class Conditioning(nn.Module):
    """Conv over +-2 frames, residual 1x1 blocks, then stretch-and-smooth stages of [mel, features]."""

    def __init__(self, mels, hop, channels, blocks):
        super().__init__()
        self.input = nn.Conv1d(mels, channels, 5, padding=2)
        self.residualIn = nn.ModuleList(nn.Conv1d(channels, channels, 1) for _ in range(blocks))
        self.residualOut = nn.ModuleList(nn.Conv1d(channels, channels, 1) for _ in range(blocks))
        self.factors = factors(hop)
        self.smoothing = nn.ModuleList(nn.Conv1d(1, 1, 2 * f + 1, padding=f, bias=False) for f in self.factors)
        with torch.no_grad():
            for f, conv in zip(self.factors, self.smoothing):
                conv.weight.fill_(1.0 / (2 * f + 1))

    def forward(self, mel):
        x = F.relu(self.input(mel))
        for a, b in zip(self.residualIn, self.residualOut):
            x = x + b(F.relu(a(x)))
        z = torch.cat([mel, x], 1)
        channels = z.shape[1]
        for f, conv in zip(self.factors, self.smoothing):
            # the one filter over every channel as a depthwise convolution, as the kit computes it
            z = F.conv1d(z.repeat_interleave(f, 2), conv.weight.expand(channels, 1, -1), padding=f, groups=channels)
        return z.transpose(1, 2)


class WaveRNN(nn.Module):
    """One GRU over [previous coarse, previous fine, current coarse, conditioning]; its coarse half is masked
    from the current coarse byte; each half has a two-layer head of 256 logits."""

    def __init__(self, mels, hop, hidden, channels, blocks):
        super().__init__()
        self.hop, self.hidden = hop, hidden
        self.conditioning = Conditioning(mels, hop, channels, blocks)
        inputs, bound = 3 + mels + channels, hidden ** -0.5
        uniform = lambda *shape: nn.Parameter(torch.empty(*shape).uniform_(-bound, bound))
        self.weight_ih, self.weight_hh = uniform(3 * hidden, inputs), uniform(3 * hidden, hidden)
        self.bias_ih, self.bias_hh = uniform(3 * hidden), uniform(3 * hidden)
        mask = torch.ones(3 * hidden, inputs)
        for gate in range(3):
            mask[gate * hidden: gate * hidden + hidden // 2, 2] = 0
        self.register_buffer('input_mask', mask, persistent=False)
        half = hidden // 2
        self.coarse1, self.coarse2 = nn.Linear(half, half), nn.Linear(half, 256)
        self.fine1, self.fine2 = nn.Linear(half, half), nn.Linear(half, 256)

    def forward(self, mel, previous_coarse, previous_fine, coarse):
        """Teacher-forced logits (B, T, 256) of both bytes; mel (B, mels, T / hop + 2 * CONTEXT)."""
        batch, samples = coarse.shape
        condition = self.conditioning(mel)[:, CONTEXT * self.hop: CONTEXT * self.hop + samples]
        scale = lambda c: c.float() / 127.5 - 1
        x = torch.cat([scale(previous_coarse).unsqueeze(2), scale(previous_fine).unsqueeze(2), scale(coarse).unsqueeze(2), condition], 2)
        weights = [self.weight_ih * self.input_mask, self.weight_hh, self.bias_ih, self.bias_hh]
        out, _ = torch._VF.gru(x, torch.zeros(1, batch, self.hidden), weights, True, 1, 0.0, self.training, False, True)
        half = self.hidden // 2
        return (self.coarse2(F.relu(self.coarse1(out[..., :half]))),
                self.fine2(F.relu(self.fine1(out[..., half:]))))
