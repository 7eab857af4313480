namespace LoraPar.Core.Benchmarks;

/// <summary>Which direction of a figure is an improvement.</summary>
public enum Better
{
    Higher,
    Lower,
}

/// <summary>
/// One measured benchmark figure (DESIGN.md "Benchmarks: one convention"). Ratios are measured inside one run, both sides
/// alternating in the same process; an absolute time or throughput is reported without a goal.
/// </summary>
/// <param name="Name">The figure name the issue lists, e.g. <c>decode_cache_speedup</c>.</param>
/// <param name="Value">The measured value.</param>
/// <param name="Unit">Unit, e.g. <c>x</c>, <c>tokens/s</c>, <c>MiB</c>, <c>s</c>.</param>
/// <param name="Better">Whether higher or lower is better.</param>
/// <param name="Goal">The goal the issue states, or null where none is stated.</param>
public sealed record BenchFigure(string Name, double Value, string Unit, Better Better, double? Goal = null)
{
    /// <summary>Whether the figure meets its goal (true where there is no goal).</summary>
    public bool MeetsGoal => Goal is not { } goal || (Better == Better.Higher ? Value >= goal : Value <= goal);
}

/// <summary>Options every benchmark suite receives.</summary>
/// <param name="Quick">A short run (fewer repetitions, smaller shapes) for smoke checks; figures stay comparable in kind, not in precision.</param>
/// <param name="Device">The device choice: auto, cpu or cuda.</param>
/// <param name="Layers">A suite that builds a model of a published shape (<c>scale</c>): how many decoder layers to keep (null: all).</param>
/// <param name="Hidden">A suite that builds a model of a published shape (<c>scale</c>): its width instead (null: the published one).</param>
/// <param name="Tokenizer">A suite that needs a SentencePiece tokenizer.model (<c>scale</c>): its path (null: looked up in shared/).</param>
public sealed record BenchOptions(bool Quick = false, string Device = "auto", int? Layers = null, int? Hidden = null, string? Tokenizer = null);

/// <summary>A named suite of figures run by <c>lorapar bench &lt;name&gt;</c>.</summary>
public interface IBenchSuite
{
    /// <summary>The suite name on the command line, e.g. <c>model</c>.</summary>
    string Name { get; }

    /// <summary>One line describing what the suite measures.</summary>
    string Description { get; }

    /// <summary>Runs the suite and returns its figures; <paramref name="log"/> receives progress lines.</summary>
    IReadOnlyList<BenchFigure> Run(BenchOptions options, Action<string> log, CancellationToken cancel);
}
