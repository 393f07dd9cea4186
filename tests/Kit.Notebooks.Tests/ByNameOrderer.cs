using Xunit.Abstractions;
using Xunit.Sdk;

namespace Kit.Notebooks.Tests;

/// <summary>Runs a class's test cases by display name, so numbered notebooks run in the order a user walks them.</summary>
public sealed class ByNameOrderer : ITestCaseOrderer
{
    public const string TypeName = "Kit.Notebooks.Tests.ByNameOrderer";
    public const string AssemblyName = "Kit.Notebooks.Tests";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase =>
        testCases.OrderBy(t => t.DisplayName, StringComparer.Ordinal);
}
