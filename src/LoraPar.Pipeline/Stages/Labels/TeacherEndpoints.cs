using LoraPar.Method.Splitter;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Toml;

namespace LoraPar.Pipeline.Stages.Labels;

/// <summary>
/// What <c>run --dry-run</c> says about the labels stage's voters: each teacher with its kind, endpoint, served model and whether
/// its API-key variable is set here (never the key), or the labels file, so a run does not find out at the first request.
/// </summary>
public static class TeacherEndpoints
{
    /// <summary>One line per teacher of <paramref name="manifest"/> (after a header line), reading variables from <paramref name="environment"/>.</summary>
    public static IReadOnlyList<string> Describe(PipelineManifest manifest, Func<string, string?> environment)
    {
        var s = manifest.Splitter;
        var header = $"# teachers (splitter.method = {KebabCase.Name(s.Method)})";
        if (s.Method == SplitterMethod.Random) return [header, "  none: a seeded random partition"];
        if (s.LabelsFile is { } file) return [header, $"  none: labels from {file.Path.Resolved}"];
        var teachers = TeacherPanel.TeachersOf(s);
        var width = teachers.Max(t => t.Name.Length);
        var prompt = s.Prompt is { } template ? $"  prompt {template.Resolved}"
            : $"  prompt built-in: Figure 3{(s.RolePlay ? ", acting as " + s.TargetModel : " without role-play")}";
        var reference = s.Reference is { } r ? [$"  reference {r.Name}  {Describe(r, environment)}, checks the votes"] : Array.Empty<string>();
        return [header, .. teachers.Select(t => $"  {t.Name.PadRight(width)}  {Describe(t, environment)}"), .. reference, prompt];
    }

    private static string Describe(Manifest.Sections.SplitterTeacher t, Func<string, string?> environment) => t.Kind switch
    {
        TeacherKind.Openai => $"openai  {Endpoint(t.Endpoint)}  model {t.Model}  {Key(t.ApiKeyEnv, environment)}",
        TeacherKind.Local => $"local  checkpoint {t.Checkpoint?.Resolved}",
        _ => $"{KebabCase.Name(t.Kind)}  rule (no API)",
    };

    private static string Endpoint(string endpoint) =>
        endpoint.Length == 0 ? TeacherPanel.DefaultEndpoint
        : SectionReader.HasUnsetReference(endpoint) ? $"{endpoint} (variable not set)" : endpoint;

    private static string Key(string variable, Func<string, string?> environment) =>
        variable.Length == 0 ? "no API key" : $"key {variable} {(environment(variable) is { Length: > 0 } ? "set" : "NOT SET")}";
}
