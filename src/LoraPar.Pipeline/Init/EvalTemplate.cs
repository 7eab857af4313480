using System.Text;
using LoraPar.Evaluation.Own;
using LoraPar.Pipeline.Manifest;

namespace LoraPar.Pipeline.Init;

/// <summary>
/// What <c>lorapar init --eval</c> adds to the manifest: a correctness reward of the held-out file's metric
/// (<c>[[rl.own_rewards]]</c>, weight 1, its alternatives as comments), then <c>[eval]</c> grading benchmark <c>own</c> and
/// <c>[eval.own]</c> with the file's detected layout, columns and metric (<see cref="HeldOutInspection"/>).
/// </summary>
internal static class EvalTemplate
{
    /// <summary>An exact reward's span: the text in the last of the RL prompt's <c>&lt;answer&gt;</c> tags, else the whole text.</summary>
    private const string TaggedAnswer = @"(?s)^(?:.*<answer>\s*(.*?)\s*</answer>|.*)";

    /// <summary>Appends the correctness reward; it must follow <c>[rl]</c> and its tables.</summary>
    public static void Rewards(StringBuilder text, HeldOutInspection heldOut)
    {
        var metric = AnswerGrader.Name(heldOut.Metric);
        text.Append("# GRPO's rewards on your data (they replace the paper's GSM8K set and the [rl.rewards] weights): correctness by\n")
            .Append("# the held-out file's metric, scored against each training row's answer.\n[[rl.own_rewards]]\n")
            .Append("kind = ").Append(ManifestTemplate.Quote(metric)).Append("\nweight = 1.0\n");
        if (heldOut.Metric == AnswerMetric.Exact)
            text.Append("answer_regex = ").Append(ManifestTemplate.Quote(TaggedAnswer)).Append("   # the RL prompt's <answer> tags, else the whole text\n");
        text.Append("# Alternatives: kind = \"exact\" | \"numeric\" | \"regex\" (pattern = \"...{gold}...\") | \"choice\" (options = [...] or\n")
            .Append("# options_column = \"<column>\"), answer_regex = \"<the answer span>\"; and format rewards, e.g.\n")
            .Append("# [[rl.own_rewards]]\n# kind = \"format\"\n# weight = 0.5\n")
            .Append("# pattern = ").Append(ManifestTemplate.Quote(@"(?s)<reasoning>.*</reasoning>\s*<answer>.*</answer>")).Append("\n\n");
    }

    /// <summary>Appends <c>[eval]</c>, <c>[eval.own]</c> and its columns, the path relative to <paramref name="folder"/>.</summary>
    public static void Eval(StringBuilder text, HeldOutInspection heldOut, string folder)
    {
        var file = heldOut.File;
        text.Append("# Evaluation at every point on the held-out file (--eval), graded by [eval.own].\n[eval]\n")
            .Append("benchmarks = [\"own\"]   # also: gsm8k (data.eval's '#### N' answers), mmlu, humaneval\n")
            .Append("limit = 0   # the first N held-out rows (0 = all)\n\n")
            .Append("# The held-out file, its layout and columns as detected; the metric guessed from its first gold answer")
            .Append(heldOut.Gold.Length > 0 ? $" ({ManifestTemplate.Quote(Shorten(heldOut.Gold))})" : "").Append(".\n[eval.own]\n")
            .Append("path = ").Append(ManifestTemplate.Quote(ManifestTemplate.Relative(folder, file.Path))).Append('\n')
            .Append("dataset = ").Append(ManifestTemplate.Quote(KebabCase.Name(file.Dataset))).Append('\n')
            .Append("metric = ").Append(ManifestTemplate.Quote(AnswerGrader.Name(heldOut.Metric)))
            .Append("   # exact | numeric | regex (pattern with {gold}) | choice (options = \"<column>\")\n")
            .Append(heldOut.Metric == AnswerMetric.Numeric
                ? "# answer_regex = \"\"   # the number's span; unset: GSM8K's (the '#### N', else the last number)\n"
                : "# answer_regex = \"\"   # the answer's span; unset: the whole trimmed answer\n");
        if (file.Mapping.Count > 0)
        {
            text.Append("\n[eval.own.columns]\n");
            foreach (var (field, column) in file.Mapping) text.Append(field).Append(" = ").Append(ManifestTemplate.Quote(column)).Append('\n');
        }
        text.Append('\n');
    }

    private static string Shorten(string text) => text.Length <= 40 ? text.ReplaceLineEndings(" ") : text[..40].ReplaceLineEndings(" ") + "…";
}
