using LoraPar.Core;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Manifest.Toml;
using LoraPar.Pipeline.Stages.Data;

namespace LoraPar.Pipeline.Manifest;

/// <summary>
/// One's own data is read at load, so that <c>run --dry-run</c> reports a malformed row (<c>file:row</c>, the field, the
/// column) and a chat template lorapar cannot render before any stage runs. Each problem is placed at the key that names it.
/// </summary>
public static class OwnDataRules
{
    /// <summary>Records the problems of <paramref name="m"/>'s own-data files through <paramref name="root"/>.</summary>
    public static void Check(PipelineManifest m, SectionReader root)
    {
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
            }
            catch (BadInputException e)
            {
                data.Error(key, e.Message);
            }
        }
    }
}
