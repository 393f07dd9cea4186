using Kit.TestSupport;
using Kit.Training.Parameters;
using Kit.Training.Recipes;
using Kit.Training.Recipes.Tiny;

namespace Kit.Training.Tests.Loop;

/// <summary>
/// The tiny recipe, whose steps after the first <see cref="AfterSteps"/> wait until the test calls
/// <see cref="Release"/>: a test that stops a run mid-way asks for the stop, then releases, and the run stops
/// at the next step. Its steps take microseconds: unheld, a run could reach its step limit before the test's
/// stop, on a loaded machine.
/// </summary>
internal sealed class HeldRecipe(long afterSteps) : IRecipe
{
    private readonly ManualResetEventSlim _released = new();

    public long AfterSteps => afterSteps;
    public string Name => TinyDurationRecipe.RecipeName;
    public RecipeDefaults Defaults => TinyDurationRecipe.TrainingDefaults;

    public void Release() => _released.Set();

    public ITrainable Create(RecipeContext context) => new Held(new TinyDurationRecipe().Create(context), this);

    private sealed class Held(ITrainable inner, HeldRecipe recipe) : WrappedTrainable(inner)
    {
        private long _updates;

        public override IReadOnlyDictionary<string, double> ForwardBackward(IReadOnlyList<int> clips, double weight)
        {
            // The bound only turns a test that forgot to release into a failure.
            if (_updates >= recipe.AfterSteps && !recipe._released.Wait(HangGuard.Limit))
                throw new TimeoutException($"the test never released the step after step {recipe.AfterSteps}");
            return base.ForwardBackward(clips, weight);
        }

        public override bool ApplyUpdate(double learningRate, double? maxGradNorm)
        {
            var updated = base.ApplyUpdate(learningRate, maxGradNorm);
            if (updated) _updates++;
            return updated;
        }
    }
}
