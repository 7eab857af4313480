using LoraPar.Pipeline.Manifest.Toml;

namespace LoraPar.Pipeline.Manifest.Sections;

/// <summary><c>[rl.rewards]</c>: weights of the summed GRPO rewards (authors: 2.0 / 0.5 / 0.5 / 0.5 / 0.125 per tag).</summary>
public sealed record RewardWeights
{
    /// <summary>The text in &lt;answer&gt; equals the gold number.</summary>
    public double Correctness { get; init; } = 2.0;

    /// <summary>The answer is an integer.</summary>
    public double Integer { get; init; } = 0.5;

    /// <summary>Strict &lt;reasoning&gt;…&lt;/reasoning&gt;&lt;answer&gt;…&lt;/answer&gt; format, line by line.</summary>
    public double StrictFormat { get; init; } = 0.5;

    /// <summary>Soft format: both tags present in order.</summary>
    public double SoftFormat { get; init; } = 0.5;

    /// <summary>Per well-placed XML tag.</summary>
    public double XmlCount { get; init; } = 0.125;

    internal static RewardWeights Read(SectionReader r)
    {
        var d = new RewardWeights();
        var weights = new RewardWeights
        {
            Correctness = r.Double("correctness", d.Correctness, NumberRange.NonNegative),
            Integer = r.Double("integer", d.Integer, NumberRange.NonNegative),
            StrictFormat = r.Double("strict_format", d.StrictFormat, NumberRange.NonNegative),
            SoftFormat = r.Double("soft_format", d.SoftFormat, NumberRange.NonNegative),
            XmlCount = r.Double("xml_count", d.XmlCount, NumberRange.NonNegative),
        };
        r.Finish();
        return weights;
    }
}
