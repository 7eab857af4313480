using LoraPar.Core;
using LoraPar.Evaluation.Datasets;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Manifest.Toml;
using LoraPar.Pipeline.Stages.Data;
using LoraPar.Pipeline.Stages.Training;
using LoraPar.Training.Grpo;
using LoraPar.Training.Grpo.Rewards;

namespace LoraPar.Pipeline.Manifest;

/// <summary>
/// The own rewards (<c>[[rl.own_rewards]]</c>) checked on one's own training data at load: a choice reward's
/// <c>options_column</c> must be a column of the data's first row, and every row's options must hold its gold answer (errors);
/// each other correctness reward is tried on the first training answers (<see cref="RewardPreview"/>), and one that gives a
/// gold answer 0 is warned about. Each problem is placed at the reward's key that names it.
/// </summary>
public static class OwnRewardRules
{
    /// <summary>Refuses <c>options_column</c> where the training data is no file of one's own (the built-in formats have fixed fields).</summary>
    internal static void CheckDataKind(PipelineManifest m, SectionReader rl)
    {
        if (m.Rl.OwnRewards is not { } rewards || OwnDataKinds.LayoutOf(m.Data.Dataset) is not null) return;
        var tables = rl.TableList("own_rewards");
        for (var i = 0; i < rewards.Count; i++)
            if (rewards[i].OptionsColumn.Length > 0)
                tables[i].Error("options_column", $"options_column names a column of one's own training data; data.dataset = \"{KebabCase.Name(m.Data.Dataset)}\" "
                                                  + "has fixed fields, so give the options inline (options = [...])");
    }

    /// <summary>Records the problems of <paramref name="m"/>'s own rewards on <paramref name="rows"/>, read from <paramref name="train"/>.</summary>
    internal static void Check(PipelineManifest m, SectionReader rl, ManifestPath train, IReadOnlyList<DatasetRow> rows)
    {
        if (m.Rl.OwnRewards is not { } rewards || !ManifestRules.RunsRl(m.Method) || rewards.Any(r => r.Problems().Count > 0)) return;
        var tables = rl.TableList("own_rewards");
        if (OptionsOf(m, rewards, tables, train) is not { } options) return;
        CheckGoldOptions(rewards, tables, train, rows, options);
        var preview = RewardPreview.Of(rewards, rows, options);
        for (var i = 0; i < rewards.Count; i++)
        {
            if (rewards[i].MetricOf() is null || rewards[i].OptionsColumn.Length > 0 || preview.FirstOrDefault(r => r.Values[i] == 0) is not { } missed) continue;
            var key = rewards[i].Kind == OwnRewardKind.Regex ? "pattern" : "answer_regex";
            tables[i].Warning(key, $"training answer {missed.Id} scored as its own completion gets 0 of {rewards[i].Weight}; "
                                   + $"a gold answer should pass its correctness reward, so the {key} is likely wrong");
        }
    }

    private static RewardOptions.ByRow? OptionsOf(PipelineManifest m, IReadOnlyList<OwnReward> rewards, IReadOnlyList<SectionReader> tables, ManifestPath train)
    {
        var columns = RewardOptions.Columns(rewards);
        if (columns.Count == 0) return RewardOptions.None;
        var first = TableReader.Read(train.Resolved, new TableLayout()).FirstOrDefault();
        var missing = false;
        for (var i = 0; i < rewards.Count; i++)
        {
            if (rewards[i].OptionsColumn is not { Length: > 0 } column || first is null || first.Cells.ContainsKey(column)) continue;
            tables[i].Error("options_column", $"{train.Raw}: no column '{column}' in the first row (its columns: "
                                              + $"{string.Join(", ", first.Cells.Keys.Order(StringComparer.Ordinal))}); name the column that holds each row's options");
            missing = true;
        }
        if (missing) return null;
        try
        {
            return RewardOptions.Load(train.Resolved, m.Data, columns);
        }
        catch (BadInputException e)
        {
            var at = rewards.Select((r, i) => (r, i)).First(p => p.r.OptionsColumn.Length > 0).i;
            tables[at].Error("options_column", e.Message);
            return null;
        }
    }

    private static void CheckGoldOptions(IReadOnlyList<OwnReward> rewards, IReadOnlyList<SectionReader> tables, ManifestPath train,
        IReadOnlyList<DatasetRow> rows, RewardOptions.ByRow options)
    {
        for (var i = 0; i < rewards.Count; i++)
        {
            if (rewards[i].OptionsColumn is not { Length: > 0 } column) continue;
            var score = rewards[i].Scorer();
            if (rows.FirstOrDefault(r => score(r.Answer, new GrpoExample(r.Question, r.Answer, options.Of(r.Id))) == 0) is not { } bad) continue;
            tables[i].Error("options_column", $"{train.Raw}: row {bad.Id}'s reference answer '{Shorten(bad.Answer.Trim())}' is none of its options "
                                              + $"[{string.Join(", ", options.Of(bad.Id)![column])}]; the gold answer (its answer_regex span) must be one of them");
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
