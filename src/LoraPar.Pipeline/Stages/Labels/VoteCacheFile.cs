using System.Globalization;
using System.Text;
using LoraPar.Method.Splitter;
using LoraPar.Pipeline.Hashing;

namespace LoraPar.Pipeline.Stages.Labels;

/// <summary>
/// Where the labels stage keeps teacher answers: <c>artifacts/cache/votes/&lt;panel&gt;.jsonl</c>, outside every artifact
/// folder, so that an interrupted or re-keyed labels stage (other data, another tie-break, other weights) asks no teacher
/// the same question twice. The file name hashes what decides the answers — each teacher's kind, endpoint, model,
/// temperature, token limit, rule thresholds or checkpoint (with a fingerprint of its files' sizes and times), the prompt
/// style and the target model — in a canonical order, but not weights, the tie-break or the run's concurrency. Inside the
/// file each answer is keyed by the teacher's identity and the exact prompt (<see cref="VoteCacheKey"/>).
/// </summary>
public static class VoteCacheFile
{
    /// <summary>The folder under the artifacts root.</summary>
    public static string DirectoryOf(string artifactsRoot) => Path.Combine(artifactsRoot, "cache", "votes");

    /// <summary>The cache file of <paramref name="config"/>'s teachers under <paramref name="artifactsRoot"/>.</summary>
    public static string PathFor(string artifactsRoot, SplitterConfig config) =>
        Path.Combine(DirectoryOf(artifactsRoot), PanelIdentity(config) + ".jsonl");

    /// <summary>The lock file serialising runs that use one cache file.</summary>
    public static string LockPathOf(string cachePath) => cachePath + ".lock";

    /// <summary>24 hex digits naming the panel (order-independent).</summary>
    public static string PanelIdentity(SplitterConfig config)
    {
        var lines = config.Teachers.Select(TeacherIdentity).Order(StringComparer.Ordinal);
        var text = $"votes/1\nprompt={config.Prompt.TemplateHash}\ntarget={config.TargetModel}\n" + string.Join("\n", lines);
        return ContentHash.OfText(text)[..24];
    }

    /// <summary>What decides one teacher's answers (never a secret: the key variable's value is not part of it).</summary>
    public static string TeacherIdentity(TeacherConfig teacher) => teacher switch
    {
        OpenAiTeacherConfig o => string.Create(CultureInfo.InvariantCulture,
            $"openai|{o.BaseUrl.AbsoluteUri.TrimEnd('/')}|{o.Model}|t={o.Temperature:R}|max={o.MaxTokens}"),
        LocalTeacherConfig l => $"local|{l.Checkpoint}|{Fingerprint(l.Checkpoint)}",
        HeuristicTeacherConfig h => string.Create(CultureInfo.InvariantCulture,
            $"heuristic|{h.StepThreshold}|{h.AnnotationThreshold}|{h.QuestionWordThreshold}|{h.RequiredSignals}"),
        CalculatorStepsTeacherConfig c => string.Create(CultureInfo.InvariantCulture, $"calculator-steps|{c.MaxSystem1Steps}"),
        _ => throw new ArgumentOutOfRangeException(nameof(teacher), teacher.Kind, "unknown teacher kind"),
    };

    /// <summary>A cheap fingerprint of a checkpoint file or folder: every file's relative name, size and last write time.</summary>
    public static string Fingerprint(string path)
    {
        var text = new StringBuilder();
        IEnumerable<string> files = Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            : File.Exists(path) ? [path] : [];
        foreach (var file in files)
        {
            var info = new FileInfo(file);
            text.Append(Path.GetRelativePath(path, file)).Append('|').Append(info.Length).Append('|')
                .Append(info.LastWriteTimeUtc.Ticks).Append('\n');
        }
        return ContentHash.OfText(text.ToString())[..16];
    }
}
