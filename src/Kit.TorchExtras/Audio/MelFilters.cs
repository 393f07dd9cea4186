using TorchSharp;

namespace Kit.TorchExtras;

/// <summary>The parts of torchaudio the kit needs (TorchSharp has no torchaudio), computed with tensor ops as torchaudio does.</summary>
public static class torchaudio
{
    public static class functional
    {
        /// <summary>
        /// Triangular mel filters (n_freqs, n_mels) as torchaudio.functional.melscale_fbanks: mel_scale
        /// "htk" or "slaney", norm null or "slaney" (area normalisation).
        /// </summary>
        public static torch.Tensor melscale_fbanks(int n_freqs, double f_min, double f_max, int n_mels, int sample_rate,
            string? norm = null, string mel_scale = "htk")
        {
            if (norm is not (null or "slaney")) throw new ArgumentException($"norm must be null or \"slaney\", not \"{norm}\"");
            if (mel_scale is not ("htk" or "slaney")) throw new ArgumentException($"mel_scale must be \"htk\" or \"slaney\", not \"{mel_scale}\"");
            using var scope = torch.NewDisposeScope();
            var allFreqs = torch.linspace(0, sample_rate / 2, n_freqs);
            var mPts = torch.linspace(HzToMel(f_min, mel_scale), HzToMel(f_max, mel_scale), n_mels + 2);
            var fPts = MelToHz(mPts, mel_scale);
            var fDiff = fPts.slice(0, 1, n_mels + 2, 1) - fPts.slice(0, 0, n_mels + 1, 1);
            var slopes = fPts.unsqueeze(0) - allFreqs.unsqueeze(1);
            var down = -1.0 * slopes.slice(1, 0, n_mels, 1) / fDiff.slice(0, 0, n_mels, 1);
            var up = slopes.slice(1, 2, n_mels + 2, 1) / fDiff.slice(0, 1, n_mels + 1, 1);
            var fb = down.minimum(up).clamp_min(0);
            if (norm == "slaney")
            {
                var enorm = 2.0 / (fPts.slice(0, 2, n_mels + 2, 1) - fPts.slice(0, 0, n_mels, 1));
                fb = fb * enorm.unsqueeze(0);
            }
            return scope.MoveToOuter(fb);
        }

        private const double SlaneySpacing = 200.0 / 3, SlaneyMinLogHz = 1000, SlaneyMinLogMel = SlaneyMinLogHz / SlaneySpacing;
        private static readonly double SlaneyLogStep = Math.Log(6.4) / 27.0;

        private static double HzToMel(double hz, string scale)
        {
            if (scale == "htk") return 2595.0 * Math.Log10(1.0 + hz / 700.0);
            return hz >= SlaneyMinLogHz ? SlaneyMinLogMel + Math.Log(hz / SlaneyMinLogHz) / SlaneyLogStep : hz / SlaneySpacing;
        }

        private static torch.Tensor MelToHz(torch.Tensor mels, string scale)
        {
            if (scale == "htk") return 700.0 * (torch.pow(10.0, mels / 2595.0) - 1.0);
            var linear = mels * SlaneySpacing;
            var log = SlaneyMinLogHz * ((mels - SlaneyMinLogMel) * SlaneyLogStep).exp();
            return torch.where(mels >= SlaneyMinLogMel, log, linear);
        }
    }
}
