using Kit.TorchExtras;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kit.Models.Spectrogram;

/// <summary>What the spectrogram model predicts for a batch: frames (B, T, mels) before and after the post-net, stop logits (B, steps), attention (B, steps, tokens).</summary>
public sealed record SpectrogramPrediction(Tensor PreFrames, Tensor PostFrames, Tensor StopLogits, Tensor Alignments);

/// <summary>
/// Tacotron 2: character embedding, convolutions and a bidirectional LSTM encode the text; an
/// autoregressive decoder (pre-net, attention LSTM, location-sensitive attention, decoder LSTM) predicts mel
/// frames and a stop token; a convolutional post-net adds a residual to them.
/// </summary>
public sealed class TacotronModel : nn.Module<Tensor, Tensor, SpectrogramPrediction>
{
    private readonly Embedding embedding;
    private readonly ModuleList<Conv1d> encoderConvs;
    private readonly ModuleList<BatchNorm1d> encoderNorms;
    private readonly LSTM encoderLstm;
    private readonly Linear prenet1, prenet2;
    private readonly LSTMCell attentionLstm, decoderLstm;
    private readonly LocationSensitiveAttention attention;
    private readonly Linear frameProjection, stopProjection;
    private readonly ModuleList<Conv1d> postConvs;
    private readonly ModuleList<BatchNorm1d> postNorms;

    public SpectrogramModelSize Size { get; }
    public int MelBins { get; }
    private int Memory => 2 * Size.EncoderLstmSize;
    private int R => Size.FramesPerStep;

    public TacotronModel(int vocabularySize, int melBins, SpectrogramModelSize size) : base(nameof(TacotronModel))
    {
        Size = size;
        MelBins = melBins;
        var e = size.EmbeddingSize;
        embedding = nn.Embedding(vocabularySize, e, padding_idx: 0);
        encoderConvs = nn.ModuleList(Enumerable.Range(0, size.EncoderConvolutions).Select(_ => nn.Conv1d(e, e, size.ConvolutionKernel, padding: size.ConvolutionKernel / 2)).ToArray());
        encoderNorms = nn.ModuleList(Enumerable.Range(0, size.EncoderConvolutions).Select(_ => nn.BatchNorm1d(e)).ToArray());
        encoderLstm = nn.LSTM(e, size.EncoderLstmSize, batchFirst: true, bidirectional: true);
        prenet1 = nn.Linear(melBins, size.PreNetSize);
        prenet2 = nn.Linear(size.PreNetSize, size.PreNetSize);
        attentionLstm = nn.LSTMCell(size.PreNetSize + Memory, size.AttentionLstmSize);
        attention = new LocationSensitiveAttention(size.AttentionLstmSize, Memory, size.AttentionSize, size.LocationFilters, size.LocationKernel);
        decoderLstm = nn.LSTMCell(size.AttentionLstmSize + Memory, size.DecoderLstmSize);
        frameProjection = nn.Linear(size.DecoderLstmSize + Memory, melBins * size.FramesPerStep);
        stopProjection = nn.Linear(size.DecoderLstmSize + Memory, 1);
        var channels = Enumerable.Range(0, size.PostNetLayers + 1).Select(i => i == 0 || i == size.PostNetLayers ? melBins : size.PostNetSize).ToArray();
        postConvs = nn.ModuleList(Enumerable.Range(0, size.PostNetLayers).Select(i => nn.Conv1d(channels[i], channels[i + 1], size.ConvolutionKernel, padding: size.ConvolutionKernel / 2)).ToArray());
        postNorms = nn.ModuleList(Enumerable.Range(0, size.PostNetLayers).Select(i => nn.BatchNorm1d(channels[i + 1])).ToArray());
        RegisterComponents();
    }

    /// <summary>Encoder outputs (B, N, 2·lstm) for token ids (B, N), 0 = padding.</summary>
    public Tensor Encode(Tensor tokens)
    {
        var x = embedding.call(tokens).transpose(1, 2); // (B, N, E) -> (B, E, N), channels first for Conv1d
        for (var i = 0; i < encoderConvs.Count; i++)
            x = nn.functional.dropout(encoderNorms[i].call(encoderConvs[i].call(x)).relu(), Size.ConvolutionDropout, training);
        return encoderLstm.call(x.transpose(1, 2), null).Item1; // (B, E, N) -> (B, N, E) -> (B, N, 2·lstm)
    }

    /// <summary>Pre-net: dropout stays on at inference too, as in Tacotron 2 (it is what makes the output vary).</summary>
    private Tensor PreNet(Tensor frames) =>
        nn.functional.dropout(prenet2.call(nn.functional.dropout(prenet1.call(frames).relu(), Size.PreNetDropout, true)).relu(), Size.PreNetDropout, true);

    private Tensor PostNet(Tensor frames)
    {
        var x = frames.transpose(1, 2); // (B, T, mels) -> (B, mels, T)
        for (var i = 0; i < postConvs.Count; i++)
        {
            x = postNorms[i].call(postConvs[i].call(x));
            if (i < postConvs.Count - 1) x = x.tanh();
            x = nn.functional.dropout(x, Size.ConvolutionDropout, training);
        }
        return x.transpose(1, 2); // (B, mels, T) -> (B, T, mels)
    }

    private sealed class DecoderState
    {
        public required Tensor Ah, Ac, Dh, Dc, Weights, Cumulative, Context;
    }

    private DecoderState Start(long batch, long tokens, Device device) => new()
    {
        Ah = zeros([batch, Size.AttentionLstmSize], device: device), Ac = zeros([batch, Size.AttentionLstmSize], device: device),
        Dh = zeros([batch, Size.DecoderLstmSize], device: device), Dc = zeros([batch, Size.DecoderLstmSize], device: device),
        Weights = zeros([batch, tokens], device: device), Cumulative = zeros([batch, tokens], device: device),
        Context = zeros([batch, Memory], device: device),
    };

    /// <summary>One decoder step: frames (B, r·mels) and stop logit (B, 1) from the pre-net output of the last frame.</summary>
    private (Tensor Frames, Tensor Stop) Step(DecoderState s, Tensor prenetOut, Tensor memory, Tensor processed, Tensor padMask)
    {
        (s.Ah, s.Ac) = attentionLstm.call(cat([prenetOut, s.Context], 1), (s.Ah, s.Ac)); // (B, prenet) + (B, memory) -> (B, prenet + memory)
        s.Ah = nn.functional.dropout(s.Ah, Size.DecoderStateDropout, training);
        (s.Weights, s.Context) = attention.call(s.Ah, memory, processed, s.Weights, s.Cumulative, padMask);
        s.Cumulative = s.Cumulative + s.Weights;
        (s.Dh, s.Dc) = decoderLstm.call(cat([s.Ah, s.Context], 1), (s.Dh, s.Dc)); // (B, attention lstm) + (B, memory) -> (B, attention lstm + memory)
        s.Dh = nn.functional.dropout(s.Dh, Size.DecoderStateDropout, training);
        var x = cat([s.Dh, s.Context], 1); // (B, decoder lstm) + (B, memory) -> (B, decoder lstm + memory)
        return (frameProjection.call(x), stopProjection.call(x));
    }

    /// <summary>The last of a decoder step's frames: what the pre-net reads at the next step.</summary>
    private Tensor LastFrame(Tensor stepFrames) =>
        stepFrames.reshape(stepFrames.shape[0], R, MelBins).select(1, R - 1); // (B, r·mels) -> (B, r, mels) -> (B, mels)

    /// <summary>Teacher-forced pass over target frames (B, T, mels), T a multiple of the frames per step.</summary>
    public override SpectrogramPrediction forward(Tensor tokens, Tensor targets)
    {
        var memory = Encode(tokens);
        var processed = attention.ProcessMemory(memory);
        var padMask = tokens.eq(0);
        long b = targets.shape[0], steps = targets.shape[1] / R;
        // The pre-net sees the last frame of the previous step (a zero "go" frame first), all steps at once.
        var lastOfStep = targets.slice(1, R - 1, steps * R, R).slice(1, 0, steps - 1, 1); // (B, T, mels) -> (B, steps, mels) -> (B, steps - 1, mels)
        var prenetOut = PreNet(cat([zeros([b, 1, MelBins], device: targets.device), lastOfStep], 1)); // (B, 1, mels) + (B, steps - 1, mels) -> (B, steps, mels) -> (B, steps, prenet)
        var state = Start(b, tokens.shape[1], tokens.device);
        var frames = new List<Tensor>();
        var stops = new List<Tensor>();
        var weights = new List<Tensor>();
        var sampling = training ? Size.ScheduledSampling : 0;
        for (long t = 0; t < steps; t++)
        {
            var input = prenetOut.select(1, t); // (B, steps, prenet) -> (B, prenet)
            if (sampling > 0 && t > 0)
            {
                var own = LastFrame(frames[(int)t - 1]).detach();
                input = where(rand([b, 1], device: targets.device).lt(sampling), PreNet(own), input); // each line's own frame or the real one
            }
            var (f, s) = Step(state, input, memory, processed, padMask);
            frames.Add(f); stops.Add(s); weights.Add(state.Weights);
        }
        return Finish(frames, stops, weights, b);
    }

    private SpectrogramPrediction Finish(List<Tensor> frames, List<Tensor> stops, List<Tensor> weights, long batch)
    {
        var pre = stack(frames, 1).reshape(batch, -1, MelBins); // steps × (B, r·mels) -> (B, steps, r·mels) -> (B, steps·r, mels)
        var post = pre + PostNet(Size.PostNetTrainsDecoder ? pre : pre.detach());
        return new SpectrogramPrediction(pre, post, cat(stops, 1), stack(weights, 1)); // steps × (B, 1) -> (B, steps); steps × (B, N) -> (B, steps, N)
    }

    /// <summary>
    /// Free-running synthesis for a batch of token ids (B, N): stops when every line's stop token fired
    /// (sigmoid over 0.5) or at <see cref="SpectrogramModelSize.MaxFramesPerToken"/>. Returns the prediction and
    /// each line's length in frames.
    /// </summary>
    public (SpectrogramPrediction Prediction, long[] Frames) Infer(Tensor tokens)
    {
        var memory = Encode(tokens);
        var processed = attention.ProcessMemory(memory);
        var padMask = tokens.eq(0);
        long b = tokens.shape[0];
        var tokenCounts = tokens.ne(0).sum(1).data<long>().ToArray();
        var maxSteps = Math.Max(1, tokenCounts.Max() * Size.MaxFramesPerToken / R);
        var state = Start(b, tokens.shape[1], tokens.device);
        var last = zeros([b, MelBins], device: tokens.device);
        var frames = new List<Tensor>();
        var stops = new List<Tensor>();
        var weights = new List<Tensor>();
        var ends = Enumerable.Repeat(-1L, (int)b).ToArray();
        for (long t = 0; t < maxSteps && ends.Any(e => e < 0); t++)
        {
            var (f, s) = Step(state, PreNet(last), memory, processed, padMask);
            frames.Add(f); stops.Add(s); weights.Add(state.Weights);
            last = LastFrame(f);
            var fired = s.squeeze(1).sigmoid().data<float>().ToArray(); // (B, 1) -> (B)
            for (var i = 0; i < b; i++)
                if (ends[i] < 0 && (fired[i] > 0.5f || t + 1 >= tokenCounts[i] * Size.MaxFramesPerToken / R)) ends[i] = (t + 1) * R;
        }
        for (var i = 0; i < b; i++) if (ends[i] < 0) ends[i] = frames.Count * R;
        return (Finish(frames, stops, weights, b), ends);
    }
}
