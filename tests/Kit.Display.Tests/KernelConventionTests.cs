using System.Collections;
using System.Linq.Expressions;
using System.Reflection;
using Kit.Display.Charts;
using Kit.Display.Html;
using Kit.Display.Live;

namespace Kit.Display.Tests;

/// <summary>
/// Replays, step by step, how the Polyglot kernel's Formatter finds a formatter by convention (see the
/// README, "Display convention"): attribute matched by type name, properties and methods found by name,
/// Format compiled as Func&lt;object, TextWriter, bool&gt;. If a kit type breaks any step, the real kernel
/// would fall back to its default property table.
/// </summary>
public sealed class KernelConventionTests
{
    public static TheoryData<Type> RenderableTypes()
    {
        var data = new TheoryData<Type>();
        foreach (var t in typeof(IRenderable).Assembly.GetTypes().Where(t => typeof(IRenderable).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false, IsPublic: true }))
            data.Add(t);
        return data;
    }

    public static IRenderable Sample(Type t) => t.Name switch
    {
        nameof(LineChart) => new LineChart("loss").Add("train", [1.0, 0.5, 0.25]),
        nameof(Histogram) => new Histogram([1.0, 2, 2, 3], 3, "durations"),
        nameof(Heatmap) => new Heatmap([[0.0, 1], [2, 3]], "mel"),
        nameof(Table) => new Table(["a", "b"], [[1, "x<y"]]),
        nameof(HtmlContent) => new HtmlContent("<b>hi</b>"),
        nameof(ProgressDisplay) => new ProgressDisplay("training", 10),
        nameof(LiveChart) => new LiveChart("loss"),
        _ => throw new InvalidOperationException($"add a sample of {t.Name} to this test"),
    };

    [Theory]
    [MemberData(nameof(RenderableTypes))]
    public void The_kernel_finds_a_formatter_for_every_preferred_mime_type_by_name(Type type)
    {
        var value = Sample(type);
        // Formatter: type.GetCustomAttributes(true).Where(a => a.GetType().Name == "TypeFormatterSourceAttribute")
        var attr = Assert.Single(type.GetCustomAttributes(true), a => a.GetType().Name == "TypeFormatterSourceAttribute");
        var sourceType = Assert.IsAssignableFrom<Type>(attr.GetType().GetProperty("FormatterSourceType")!.GetGetMethod()!.Invoke(attr, null));
        var preferred = Assert.IsType<string[]>(attr.GetType().GetProperty("PreferredMimeTypes")!.GetGetMethod()!.Invoke(attr, null));
        var source = Activator.CreateInstance(sourceType)!;
        var formatters = Assert.IsAssignableFrom<IEnumerable>(source.GetType().GetMethod("CreateTypeFormatters")!.Invoke(source, null));

        var byMime = new Dictionary<string, Func<object, TextWriter, bool>>();
        foreach (var f in formatters)
        {
            var mime = Assert.IsType<string>(f.GetType().GetProperty("MimeType")!.GetGetMethod()!.Invoke(f, null));
            var format = f.GetType().GetMethod("Format")!; // must be unambiguous, as the kernel calls GetMethod("Format")
            var v = Expression.Parameter(typeof(object));
            var w = Expression.Parameter(typeof(TextWriter));
            byMime[mime] = Expression.Lambda<Func<object, TextWriter, bool>>(Expression.Call(Expression.Constant(f), format, v, w), v, w).Compile();
            // Without a Type property the kernel registers the formatter for the attributed type itself.
            Assert.Null(f.GetType().GetProperty("Type"));
        }

        var renderings = value.Render();
        Assert.Equal(Rendering.Html, preferred[0]);
        foreach (var mime in preferred)
        {
            var writer = new StringWriter();
            Assert.True(byMime[mime](value, writer), $"{type.Name}: no {mime} output");
            // plotly.js rides only with the first chart HTML of the page, whichever render that was.
            Assert.Equal(RealFormatterTests.WithoutPlotly(renderings.Single(r => r.MimeType == mime).Content).Length, RealFormatterTests.WithoutPlotly(writer.ToString()).Length);
        }
        Assert.Contains(Rendering.Text, preferred);
        Assert.False(byMime[Rendering.Html]("not a renderable", new StringWriter()));
    }

    [Fact]
    public void The_attribute_has_the_shape_the_kernel_reads()
    {
        var t = typeof(Formatting.TypeFormatterSourceAttribute);
        Assert.Equal("TypeFormatterSourceAttribute", t.Name);
        var usage = t.GetCustomAttribute<AttributeUsageAttribute>()!;
        Assert.True(usage.Inherited, "derived charts must inherit the attribute (the kernel calls GetCustomAttributes(true))");
        Assert.Equal(typeof(Type), t.GetProperty("FormatterSourceType")!.PropertyType);
        Assert.Equal(typeof(string[]), t.GetProperty("PreferredMimeTypes")!.PropertyType);
    }
}

public sealed class InheritedConventionTests
{
    /// <summary>Like the trainer's view: a LiveDisplay subclass in another assembly, with no attribute of its own.</summary>
    private sealed class StepCounter : LiveDisplay
    {
        public override IReadOnlyList<Rendering> Render() => [new(Rendering.Html, "<b>3</b>"), new(Rendering.Text, "3")];
    }

    [Fact]
    public void A_live_display_subclass_inherits_one_attribute_and_a_chart_subclass_its_own()
    {
        var inherited = Assert.Single(typeof(StepCounter).GetCustomAttributes(true), a => a.GetType().Name == "TypeFormatterSourceAttribute");
        Assert.Equal([Rendering.Html, Rendering.Text], ((Formatting.TypeFormatterSourceAttribute)inherited).PreferredMimeTypes!);
        var chart = Assert.Single(typeof(LiveChart).GetCustomAttributes(true), a => a.GetType().Name == "TypeFormatterSourceAttribute");
        Assert.Equal(4, ((Formatting.TypeFormatterSourceAttribute)chart).PreferredMimeTypes!.Length);
    }
}
