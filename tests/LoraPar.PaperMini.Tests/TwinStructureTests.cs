using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace LoraPar.PaperMini.Tests;

/// <summary>Every paper manifest has a twin, and a twin extends its own paper manifest and sets sizes and the device only.</summary>
public sealed class TwinStructureTests
{
    /// <summary>The keys a twin may set: how big each stage is and where it runs, never what it does.</summary>
    private static readonly HashSet<string> ScaleKeys =
    [
        "extends", "device", "model.dtype", "data.max_train_examples", "data.max_eval_examples",
        "splitter.resilience.base_delay_seconds", "splitter.resilience.max_delay_seconds",
        "importance.samples_per_system", "importance.max_length",
        "sft.gradient_accumulation_steps", "sft.batch_size", "sft.max_length",
        "rl.num_generations", "rl.max_prompt_length", "rl.max_completion_length",
        "eval.max_new_tokens", "eval.limit", "eval.batch_size", "eval.mmlu.subset", "eval.humaneval.subset",
    ];

    [Fact]
    public void Every_paper_manifest_has_a_twin_and_every_twin_a_paper_manifest()
    {
        var paper = Twins.Under(Twins.PaperFolder);
        Assert.Equal(25 + 6, paper.Count);                       // Tables 1–4, and the authors' profile (authors/)
        Assert.Equal(6, paper.Count(p => p.StartsWith("authors/", StringComparison.Ordinal)));
        Assert.Equal(paper, Twins.Under(Twins.MiniFolder));
    }

    [Fact]
    public void A_twin_extends_its_paper_manifest_and_overrides_scale_only()
    {
        foreach (var twin in Twins.Under(Twins.MiniFolder))
        {
            var path = Path.Combine(Twins.MiniFolder, twin);
            var document = SyntaxParser.Parse(File.ReadAllText(path), path, validate: true);
            Assert.False(document.HasErrors, $"{twin}: {string.Join("; ", document.Diagnostics)}");
            var extends = document.KeyValues.Single(kv => Name(kv.Key) == "extends").Value as StringValueSyntax;
            Assert.Equal(Path.GetFullPath(Path.Combine(Twins.PaperFolder, twin)), Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, extends!.Value!)));
            var keys = document.KeyValues.Select(kv => Name(kv.Key))
                .Concat(document.Tables.SelectMany(t => t.Items.OfType<KeyValueSyntax>().Select(kv => Name(t.Name) + "." + Name(kv.Key))));
            var extra = keys.Where(k => !ScaleKeys.Contains(k)).ToList();
            Assert.True(extra.Count == 0, $"{twin} sets {string.Join(", ", extra)}, which is not a size");
        }
    }

    private static string Name(KeySyntax? key) => key!.ToString().Trim();
}
