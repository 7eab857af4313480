using LoraPar.Core;
using LoraPar.Evaluation.Own;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Manifest.Toml;
using LoraPar.Pipeline.Stages.Data;
using LoraPar.Pipeline.Stages.Eval;
using LoraPar.Pipeline.Stages.Training;

namespace LoraPar.Pipeline.Manifest;

/// <summary>
/// One's own data is read at load, so that <c>run --dry-run</c> reports a malformed row (<c>file:row</c>, the field, the
/// column) and a chat template lorapar cannot render before any stage runs; so is the held-out file of <c>[eval.own]</c>
/// (columns, options, a gold answer the metric can read), and the own rewards are checked on the training rows
/// (<see cref="OwnRewardRules"/>). Each problem is placed at the key that names it.
/// </summary>
public static class OwnDataRules
{
    /// <summary>Records the problems of <paramref name="m"/>'s own-data files through <paramref name="root"/>.</summary>
    public static void Check(PipelineManifest m, SectionReader root)
    {
        CheckHeldOut(m, root.Section("eval").Section("own"));
        OwnRewardRules.CheckDataKind(m, root.Section("rl"));
        if (OwnDataKinds.LayoutOf(m.Data.Dataset) is null) return;
        var data = root.Section("data");
        Model.Tokenizers.ChatTemplate template;
        try
        {
            template = OwnData.TemplateOf(m.Data, OwnData.TemplateSource(m));
        }
        catch (BadInputException e)
        {
            data.Error("chat_template", e.Message);
            return;
        }
        foreach (var (key, path) in (ReadOnlySpan<(string, ManifestPath?)>)[("train", m.Data.Train), ("eval", m.Data.Eval)])
        {
            if (path is null || !File.Exists(path.Resolved)) continue;
            try
            {
                var rows = OwnData.Load(path.Resolved, m.Data, template);
                if (rows.Count == 0) data.Error(key, $"{path.Raw}: the file holds no rows");
                if (key == "eval" && m.Eval.Benchmarks.Contains(Benchmark.Gsm8k) && rows.FirstOrDefault(r => r.Gold is null) is { } ungraded)
                    data.Error(key, $"{path.Raw}: row {ungraded.Id} has no gold answer, which eval.benchmarks = [\"gsm8k\"] grades "
                                    + "(an answer ending in a line '#### N'); give every held-out answer one");
                if (key == "train") OwnRewardRules.Check(m, root.Section("rl"), path, rows);
            }
            catch (BadInputException e)
            {
                data.Error(key, e.Message);
            }
        }
    }

    /// <summary>The first training answers of one's own data scored by the manifest's own rewards, or none (no own rewards, no own data, a file that does not load).</summary>
    public static IReadOnlyList<RewardPreview.Row> RewardRows(PipelineManifest m)
    {
        if (m.Rl.OwnRewards is not { } rewards || OwnDataKinds.LayoutOf(m.Data.Dataset) is null || m.Data.Train is not { } train || !File.Exists(train.Resolved))
            return [];
        var rows = OwnData.Load(train.Resolved, m.Data, OwnData.TemplateOf(m.Data, OwnData.TemplateSource(m)));
        return RewardPreview.Of(rewards, rows, RewardOptions.Load(train.Resolved, m.Data, RewardOptions.Columns(rewards)));
    }

    private static void CheckHeldOut(PipelineManifest m, SectionReader own)
    {
        if (m.Eval.Own is not { Path: { } path } settings || !m.Eval.Benchmarks.Contains(Benchmark.Own) || !File.Exists(path.Resolved)) return;
        if (AnswerGrader.Problem(settings.Metric, settings.AnswerRegex, settings.Pattern) is not null) return;
        try
        {
            var rows = OwnEvalBenchmark.Load(path.Resolved, settings, m.Data);
            if (rows.Count == 0) own.Error("path", $"{path.Raw}: the file holds no rows");
            var grader = new AnswerGrader(settings.Metric, settings.AnswerRegex, settings.Pattern);
            if (settings.Metric == AnswerMetric.Numeric && rows.FirstOrDefault(r => Evaluation.Gsm8k.AnswerExtractor.Normalize(grader.GoldSpan(r.Record.Answer)) is null) is { } bad)
                own.Error("metric", $"{path.Raw}: row {bad.Record.Id}'s gold answer '{Shorten(grader.GoldSpan(bad.Record.Answer))}' is no number, "
                                    + "which metric = \"numeric\" compares; fix the row or set answer_regex to the number's span");
        }
        catch (BadInputException e)
        {
            own.Error("path", e.Message);
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
