using Kit.Training.Parameters;

namespace Kit.Training.Config;

/// <summary>
/// A DLAS training config in the shape of DLAS's <c>experiments/EXAMPLE_gpt.yml</c> (TorToiSe GPT fine-tune),
/// carrying the calculated numbers, so users of the original toolchain can take them along. The fixed parts
/// (optimizer, injectors, losses, the unified_voice2 network) are EXAMPLE_gpt.yml's values; the kit only
/// turns state saving on (resuming needs it) and keeps TensorBoard on, as the example does.
/// </summary>
public static class DlasTrainingYaml
{
    public const string FileName = "dlas-gpt.yml";

    /// <summary>Where the pretrained GPT goes in a DLAS checkout (EXAMPLE_gpt.yml's path).</summary>
    public const string DefaultPretrainedGpt = "../experiments/autoregressive.pth";

    /// <summary>The values the file is written from. List paths are written as given (DLAS resolves them from its working folder).</summary>
    public sealed record Inputs(TrainingParameters Parameters, string TrainList, string ValList, string PretrainedGpt = DefaultPretrainedGpt);

    public static void Write(Inputs inputs, string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + ".tmp";
        using (var text = new StreamWriter(tmp)) Write(inputs, text);
        File.Move(tmp, full, overwrite: true);
    }

    public static void Write(Inputs inputs, TextWriter text)
    {
        var p = inputs.Parameters;
        var y = new YamlWriter(text);
        var written = new HashSet<string>(StringComparer.Ordinal);
        // The parameters are written from the catalog, each at its DLAS key, after the fixed keys of its mapping:
        // the one mapping of the kit's names to DLAS's, which the reader below follows back.
        void Settings(string mapping)
        {
            foreach (var spec in ParameterCatalog.All)
            {
                var cut = spec.Dlas.Path.LastIndexOf('.');
                if ((cut < 0 ? "" : spec.Dlas.Path[..cut]) != mapping) continue;
                y.Value(spec.Dlas.Path[(cut + 1)..], spec.Dlas.ToDlas(spec.Get(p)), spec.Dlas.Comment);
                written.Add(spec.Name);
            }
        }
        y.Comment("DLAS training config in the shape of experiments/EXAMPLE_gpt.yml, written by `kit params`.")
         .Comment("Run from DLAS's codes/ folder: python train.py -opt PATH/TO/THIS/FILE");
        y.Str("model", "extensibletrainer")
         .Int("scale", 1)
         .Ints("gpu_ids", [0])
         .Int("start_step", 0)
         .Bool("checkpointing_enabled", true, "gradient checkpointing: large memory savings")
         .Bool("use_8bit", false)
         .Bool("wandb", false)
         .Bool("use_tb_logger", true);
        Settings("");
        y.Map("datasets", () =>
        {
            Dataset(y, "train", inputs.TrainList, workers: 8, Settings);
            Dataset(y, "val", inputs.ValList, workers: 1, Settings);
        });
        y.Map("steps", () => y.Map("gpt_train", () =>
        {
            y.Str("training", "gpt").Int("loss_log_buffer", 500)
             .Str("optimizer", "adamw")
             .Map("optimizer_params", () => { Settings("steps.gpt_train.optimizer_params"); y.Float("weight_decay", 1e-2).Float("beta1", 0.9).Float("beta2", 0.96); })
             .Int("clip_grad_eps", 4);
            y.Map("injectors", () =>
            {
                y.Map("paired_to_mel", () => y.Str("type", "torch_mel_spectrogram").Str("mel_norm_file", "../experiments/clips_mel_norms.pth").Str("in", "wav").Str("out", "paired_mel"));
                y.Map("paired_cond_to_mel", () => y.Str("type", "for_each").Str("subtype", "torch_mel_spectrogram").Str("mel_norm_file", "../experiments/clips_mel_norms.pth").Str("in", "conditioning").Str("out", "paired_conditioning_mel"));
                y.Map("to_codes", () => y.Str("type", "discrete_token").Str("in", "paired_mel").Str("out", "paired_mel_codes").Str("dvae_config", "../experiments/train_diffusion_vocoder_22k_level.yml"));
                y.Map("paired_fwd_text", () => y.Str("type", "generator").Str("generator", "gpt")
                    .Strs("in", ["paired_conditioning_mel", "padded_text", "text_lengths", "paired_mel_codes", "wav_lengths"])
                    .Strs("out", ["loss_text_ce", "loss_mel_ce", "logits"]));
            });
            y.Map("losses", () =>
            {
                y.Map("text_ce", () => y.Str("type", "direct").Float("weight", 0.01).Str("key", "loss_text_ce"));
                y.Map("mel_ce", () => y.Str("type", "direct").Int("weight", 1).Str("key", "loss_mel_ce"));
            });
        }));
        y.Map("networks", () => y.Map("gpt", () => y.Str("type", "generator").Str("which_model_G", "unified_voice2").Map("kwargs", () =>
            y.Int("layers", 30).Int("model_dim", 1024).Int("heads", 16).Int("max_text_tokens", 402).Int("max_mel_tokens", 604)
             .Int("max_conditioning_inputs", 2).Int("mel_length_compression", 1024).Int("number_text_tokens", 256)
             .Int("number_mel_codes", 8194).Int("start_mel_token", 8192).Int("stop_mel_token", 8193).Int("start_text_token", 255)
             .Bool("train_solo_embeddings", false).Bool("use_mel_codes_as_input", true).Bool("checkpointing", true).Bool("tortoise_compat", true))));
        y.Map("path", () => y.Str("pretrain_model_gpt", inputs.PretrainedGpt).Bool("strict_load", true),
              "to resume, add resume_state: ../experiments/NAME/training_state/STEP.state");
        y.Map("train", () =>
        {
            Settings("train");
            y.Str("default_lr_scheme", "MultiStepLR")
             .Float("lr_gamma", 0.5)
             .Bool("ema_enabled", false);
        }, "units are steps: one step is one batch of datasets.train.batch_size clips");
        y.Map("eval", () => y.Bool("pure", true));
        y.Map("logger", () =>
        {
            Settings("logger");
            y.Strs("visuals", ["gen", "mel"])
             .Int("visual_debug_rate", 500)
             .Bool("is_mel_spectrogram", true)
             .Bool("disable_state_saving", false, "states are kept so a stopped run can resume");
        });
        y.Finish();
        if (ParameterCatalog.All.FirstOrDefault(spec => !written.Contains(spec.Name)) is { } lost)
            throw new InvalidOperationException($"{lost.Name}'s DLAS key {lost.Dlas.Path} is in no mapping this writer writes: add the mapping");
    }

    private static void Dataset(YamlWriter y, string phase, string list, int workers, Action<string> settings) => y.Map(phase, () =>
    {
        y.Str("name", phase == "train" ? "kit-train" : "kit-val")
         .Int("n_workers", workers);
        settings($"datasets.{phase}");
        y.Str("mode", "paired_voice_audio")
         .Str("path", list)
         .Strs("fetcher_mode", ["lj"])
         .Str("phase", phase)
         .Int("max_wav_length", 255995)
         .Int("max_text_length", 200)
         .Int("sample_rate", 22050)
         .Bool("load_conditioning", true)
         .Int("num_conditioning_candidates", 2)
         .Int("conditioning_length", 44000)
         .Bool("use_bpe_tokenizer", true)
         .Bool("load_aligned_codes", false);
    });

    /// <summary>Reads the values a DLAS config carries back (for checks and round trips), with file and line in errors.</summary>
    public static Inputs Read(string path)
    {
        var doc = YamlDocument.Load(path);
        string? S(string key) => doc.Scalar(key);
        var raw = ParameterCatalog.All.ToDictionary(spec => spec.Name, spec => spec.Dlas.FromDlas(
            spec.Kind == ParameterKind.Milestones ? doc.Sequence(spec.Dlas.Path) : doc.Scalar(spec.Dlas.Path)));
        try
        {
            var values = TrainingParametersMap.FromValues(raw, name =>
            {
                var key = ParameterCatalog.Find(name).Dlas.Path;
                return $"{path}:{doc.Get(key).Start.Line}: {key}: ";
            });
            return new Inputs(values, S("datasets.train.path") ?? "", S("datasets.val.path") ?? "", S("path.pretrain_model_gpt") ?? "");
        }
        catch (ParameterException e)
        {
            throw new ConfigFormatException(e.Message, e);
        }
    }
}
