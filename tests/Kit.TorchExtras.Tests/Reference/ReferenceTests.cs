namespace Kit.TorchExtras.Tests.Reference;

/// <summary>A test class that lists reference cases: the kit's side of each against PyTorch's.</summary>
public interface IReferenceCases
{
    static abstract List<RefCase> Build();
}

/// <summary>
/// One theory case per reference case of <typeparamref name="TCases"/>: the cases are built on first use and
/// run through Python in one <see cref="ReferenceBatch"/> (importing torch costs seconds), then each is checked.
/// </summary>
public abstract class ReferenceTests<TCases> where TCases : IReferenceCases
{
    private static readonly Lazy<List<RefCase>> cases = new(TCases.Build);
    private static readonly Lazy<ReferenceBatch> batch = new(() => new ReferenceBatch(cases.Value));

    public static IEnumerable<object[]> Names => ReferenceBatch.Names(cases.Value);

    [Theory]
    [MemberData(nameof(Names))]
    public void Matches_pytorch(string name) => batch.Value.Check(name);
}
