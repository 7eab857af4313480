using LoraPar.Method.Splitter;
using LoraPar.Pipeline.Manifest.Toml;

namespace LoraPar.Pipeline.Manifest.Sections;

/// <summary><c>[splitter]</c>: the sample splitter.</summary>
public sealed record SplitterSection
{
    /// <summary>
    /// Labelling method. Unset, it is <see cref="SplitterMethod.RolePlayVote"/> when <c>teachers</c> are listed and
    /// <see cref="SplitterMethod.Heuristic"/> (the built-in panel, no API) when none are, so an empty manifest runs anywhere.
    /// </summary>
    public SplitterMethod Method { get; init; } = SplitterMethod.Heuristic;

    /// <summary>
    /// The teachers in voting order: plain model names (OpenAI-compatible, at <see cref="Endpoint"/>) or tables with
    /// <c>kind = "openai" | "local" | "heuristic" | "calculator-steps"</c>, weight and kind-specific settings.
    /// </summary>
    public IReadOnlyList<SplitterTeacher> Teachers { get; init; } = [];

    /// <summary>Whether teachers are asked to role-play the target model (chooses the built-in prompt: Figure 3, or Figure 3 without "Act as").</summary>
    public bool RolePlay { get; init; } = true;

    /// <summary>A prompt template file (<c>{target_model}</c>, <c>{question}</c>, <c>{answer}</c>) replacing the built-in prompt; null: built-in.</summary>
    public ManifestPath? Prompt { get; init; }

    /// <summary>A rule teacher (calculator-steps or heuristic) the votes are checked against without voting; null: none.</summary>
    public SplitterTeacher? Reference { get; init; }

    /// <summary>The model the teachers role-play (name it as the teachers know it).</summary>
    public string TargetModel { get; init; } = "LLaMA-2-7B";

    /// <summary>OpenAI-compatible base URL for teachers ("" = the OpenAI API).</summary>
    public string Endpoint { get; init; } = "";

    /// <summary>Name of the environment variable holding the API key (the key never goes in a manifest; "" = none needed).</summary>
    public string ApiKeyEnv { get; init; } = "OPENAI_API_KEY";

    /// <summary>Teacher sampling temperature.</summary>
    public double Temperature { get; init; }

    /// <summary>How ties (equal vote weight, or no vote at all) are settled.</summary>
    public TieBreakRule TieBreak { get; init; } = TieBreakRule.System2;

    /// <summary>Stop the run, or go on without a teacher that keeps failing.</summary>
    public TeacherFailurePolicy OnTeacherFailure { get; init; } = TeacherFailurePolicy.Stop;

    /// <summary>Share of questions labelled System 2 by <see cref="SplitterMethod.Random"/>.</summary>
    public double RandomSystem2Fraction { get; init; } = 0.5;

    /// <summary>The user's labels table under <see cref="SplitterMethod.LabelsFile"/> (null otherwise).</summary>
    public LabelsFileSource? LabelsFile { get; init; }

    /// <summary>Concurrency, timeouts and retries (not part of the labels key).</summary>
    public TeacherResilience Resilience { get; init; } = new();

    /// <summary>The dotted manifest paths whose values change labels (the labels key reads these, not concurrency or retries).</summary>
    public static IReadOnlyList<string> LabelKeys { get; } =
    [
        "splitter.method", "splitter.teachers", "splitter.role_play", "splitter.target_model", "splitter.tie_break",
        "splitter.on_teacher_failure", "splitter.random_system2_fraction", "splitter.labels_file", "splitter.prompt",
        "splitter.reference",
    ];

    internal static SplitterSection Read(SectionReader r)
    {
        var d = new SplitterSection();
        var method = r.Enum("method", r.Has("teachers") ? SplitterMethod.RolePlayVote : d.Method);
        var parent = new SplitterSection
        {
            Method = method,
            Endpoint = r.ExpandedString("endpoint", d.Endpoint),
            ApiKeyEnv = r.String("api_key_env", d.ApiKeyEnv),
            Temperature = r.Double("temperature", d.Temperature, new NumberRange(0, 2)),
        };
        var section = parent with
        {
            Teachers = ReadTeachers(r, parent),
            RolePlay = r.Bool("role_play", d.RolePlay),
            Prompt = ReadPrompt(r),
            Reference = r.Has("reference") ? SplitterTeacher.Read(r.Section("reference"), parent, 0, TeacherKind.CalculatorSteps) : null,
            TargetModel = r.String("target_model", d.TargetModel),
            TieBreak = r.Enum("tie_break", d.TieBreak),
            OnTeacherFailure = r.Enum("on_teacher_failure", d.OnTeacherFailure),
            RandomSystem2Fraction = r.Double("random_system2_fraction", d.RandomSystem2Fraction, NumberRange.Unit),
            LabelsFile = LabelsFileSource.Read(r, method),
            Resilience = SettingsBinder.Bind<TeacherResilience>(r.Section("resilience")),
        };
        Check(r, section);
        r.Finish();
        return section;
    }

    /// <summary>Reads <c>prompt</c> and, when the file is there, reports its unknown placeholders at their line:col in it.</summary>
    private static ManifestPath? ReadPrompt(SectionReader r)
    {
        var path = r.Path("prompt", PathKind.File, mustExist: true, "a text file with {question} and optionally {answer}, {target_model}");
        if (path is null || !File.Exists(path.Resolved)) return path;
        var template = new RolePlayPrompt(File.ReadAllText(path.Resolved));
        foreach (var problem in template.Problems())
            r.ErrorIn(new SourceLocation(path.Resolved, problem.Line, problem.Column), "prompt", problem.Message);
        return path;
    }

    private static IReadOnlyList<SplitterTeacher> ReadTeachers(SectionReader r, SplitterSection parent)
    {
        if (!r.HoldsTables("teachers"))
            return r.StringList("teachers", []).Select(model => SplitterTeacher.ForModel(model, parent)).ToList();
        return r.TableList("teachers").Select((t, i) => SplitterTeacher.Read(t, parent, i)).ToList();
    }

    private static void Check(SectionReader r, SplitterSection s)
    {
        if (s.Method is SplitterMethod.RolePlayVote or SplitterMethod.SingleTeacher && s.Teachers.Count == 0)
            r.Error("teachers", $"method = \"{KebabCase.Name(s.Method)}\" needs teachers: list them in splitter.teachers (model names, "
                + "or [[splitter.teachers]] tables), or use method = \"heuristic\" for the built-in rules");
        foreach (var t in s.Method is SplitterMethod.Random or SplitterMethod.LabelsFile ? [] : s.Teachers.Where(t => t.Kind == TeacherKind.Openai && t.ApiKeyEnv.Length > 0))
        {
            if (r.Environment(t.ApiKeyEnv) is { Length: > 0 }) continue;
            r.EnvironmentProblem("teachers", $"teacher \"{t.Name}\" reads its API key from {t.ApiKeyEnv}, which is not set; export it, or set "
                + "api_key_env = \"\" for a server that needs no key");
        }
        if (s.Method == SplitterMethod.RolePlayVote && s.Teachers.Count == 1)
            r.Error("teachers", "role-play voting needs at least 2 teachers (the paper uses 3 or 5); use method = \"single-teacher\"");
        if (s.Method == SplitterMethod.SingleTeacher && s.Teachers.Count > 1)
            r.Error("teachers", $"single-teacher takes one teacher, not {s.Teachers.Count}; use method = \"role-play-vote\" to vote");
        if (s.Method == SplitterMethod.LabelsFile && s.Teachers.Count > 0)
            r.Error("teachers", "method = \"labels-file\" asks no teacher; remove splitter.teachers (name vote columns in vote_columns)");
        if (s.Method == SplitterMethod.Heuristic && s.Teachers.Any(t => !t.IsRule))
            r.Error("teachers", "method = \"heuristic\" takes rule teachers only (heuristic, calculator-steps); use \"role-play-vote\" to mix kinds");
        if (s.Reference is { IsRule: false })
            r.Error("reference", "the reference is a rule that is not asked: kind = \"calculator-steps\" (the default) or \"heuristic\"");
        if (s.Reference is not null && s.Method is SplitterMethod.Random or SplitterMethod.LabelsFile)
            r.Error("reference", $"method = \"{KebabCase.Name(s.Method)}\" asks no teacher; a reference checks teacher votes, remove it");
        if (s.Prompt is not null && r.Has("role_play"))
            r.Error("prompt", "a prompt file replaces the built-in prompts that role_play chooses between; remove one of the two");
        var repeated = s.Teachers.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) r.Error("teachers", $"the teacher name \"{repeated.Key}\" is used twice; give each teacher its own name");
    }
}
