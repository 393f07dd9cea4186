using Kit.Training.Checkpoints;
using Kit.Training.Recipes;

namespace Kit.Training.Tests.Loop;

/// <summary>A recipe's trainable with the validation hooks a test overrides; the rest goes to the inner one.</summary>
internal class WrappedTrainable(ITrainable inner) : ITrainable
{
    public IReadOnlyList<double> TrainLengths => inner.TrainLengths;
    public virtual IReadOnlyDictionary<string, double> ForwardBackward(IReadOnlyList<int> clips, double weight) => inner.ForwardBackward(clips, weight);
    public virtual bool ApplyUpdate(double learningRate, double? maxGradNorm) => inner.ApplyUpdate(learningRate, maxGradNorm);
    public void DiscardGradients() => inner.DiscardGradients();
    public virtual IReadOnlyDictionary<string, double> Validate(int batchSize) => inner.Validate(batchSize);
    public void Save(CheckpointWriter writer) => inner.Save(writer);
    public void Load(LoadedCheckpoint checkpoint) => inner.Load(checkpoint);
    public long EstimatedCheckpointBytes => inner.EstimatedCheckpointBytes;
    public ResolvedPrecision Precision => inner.Precision;
    public virtual IReadOnlyDictionary<string, double> FreeRunning(int batchSize) => inner.FreeRunning(batchSize);
    public virtual IReadOnlyList<TrainingSample> Samples(long step) => inner.Samples(step);
    public void Dispose() => inner.Dispose();
}
