using Kit.Training.Parameters;

namespace Kit.Recipes.Spectrogram;

/// <summary>
/// A pessimistic estimate of training memory for the Tacotron-2-style spectrogram model (teacher-forced, every
/// decoder step kept for the backward pass), used to bound the batch.
///
/// Fixed cost: fp32 weights + gradients + Adam's two moments + amsgrad's running maximum = 20 bytes per parameter,
/// plus 1.5 GB for the CUDA context and the allocator's fragmentation (as <see cref="GptMemoryModel"/>). Per clip,
/// 4 bytes per value kept for the backward pass: per decoder step (frames / FramesPerStep of them) the pre-net's
/// two layers and their dropout masks (4 × PreNet), the attention and decoder LSTM cells' gates, cell and hidden
/// state (6 × each LSTM's width), the encoder outputs the attention context is read from (2 × EncoderLstm), and
/// for every input character the location-sensitive attention's keys and energies, its location features and
/// the weights, cumulative weights, energies and mask (2 × Attention + LocationFilters + 4); per frame the post-net's
/// convolutions with their batch norm, tanh and dropout (4 × PostNet × layers) and the three mel outputs; per
/// character the encoder's convolutions (4 × Embedding each) and its bidirectional LSTM (12 × EncoderLstm).
/// Frames = longest clip × sample rate / hop. Checked against NVIDIA's DeepLearningExamples Tacotron 2 script,
/// which trains fp32 at 48 clips per GPU (scripts/train_tacotron2.sh, -bs 48) on 16 GB V100s: for LJSpeech's
/// longest clip (10.1 s, 870 frames, about 190 characters) the estimate gives about 15.7 GB for 48 clips with the
/// published sizes, so it errs on the side of smaller batches. fp16 halves the activations only.
/// </summary>
public sealed record TacotronMemoryModel(string Name, long Parameters, int SampleRate, int HopLength, int Mels, int FramesPerStep,
    int Embedding, int EncoderConvolutions, int EncoderLstm, int Attention, int LocationFilters, int PreNet,
    int AttentionLstm, int DecoderLstm, int PostNet, int PostNetLayers) : IMemoryModel
{
    public const long RuntimeOverheadBytes = GptMemoryModel.RuntimeOverheadBytes;

    public string Description => $"{Name}, {Parameters / 1e6:0.0} M parameters";

    public long FixedBytes => Parameters * 20 + RuntimeOverheadBytes;

    public long BytesPerSample(double longestSeconds, int longestText, bool fp16)
    {
        double frames = Math.Ceiling(longestSeconds * SampleRate / HopLength), steps = Math.Ceiling(frames / FramesPerStep);
        double text = Math.Max(1, longestText);
        var perStep = 4.0 * PreNet + 6.0 * AttentionLstm + 6.0 * DecoderLstm + 2.0 * EncoderLstm
                      + text * (2.0 * Attention + LocationFilters + 4) + FramesPerStep * Mels + 1;
        var perFrame = 4.0 * PostNet * PostNetLayers + 3.0 * Mels;
        var perCharacter = 4.0 * Embedding * EncoderConvolutions + 12.0 * EncoderLstm;
        var total = 4 * (steps * perStep + frames * perFrame + text * perCharacter);
        return (long)(fp16 ? total / 2 : total);
    }
}
