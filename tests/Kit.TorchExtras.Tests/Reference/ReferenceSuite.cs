namespace Kit.TorchExtras.Tests.Reference;

/// <summary>
/// A test class's reference cases, built on first use and run through Python in one <see cref="ReferenceBatch"/>:
/// the class hands <see cref="Names"/> to its [MemberData] theory and checks each case with <see cref="Check"/>.
/// </summary>
public sealed class ReferenceSuite
{
    private readonly Lazy<List<RefCase>> cases;
    private readonly Lazy<ReferenceBatch> batch;

    public ReferenceSuite(Func<List<RefCase>> build)
    {
        cases = new(build);
        batch = new(() => new ReferenceBatch(cases.Value));
    }

    public IEnumerable<object[]> Names => ReferenceBatch.Names(cases.Value);

    /// <summary>Runs the kit's side of a case and asserts its outputs and gradients match PyTorch's.</summary>
    public void Check(string name) => batch.Value.Check(name);
}
