using LoraPar.Core;
using LoraPar.Method.Splitter;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;

namespace LoraPar.Pipeline.Stages.Labels;

/// <summary>
/// Turns <c>[splitter]</c> into the sample splitter's <see cref="SplitterConfig"/>: the teachers (openai / local / heuristic,
/// calculator-steps, with weights), the prompt (a template file, or Figure 3 with or without role-play), the tie-break rule, the failure policy, the resilience settings and the seed.
/// <c>method = "heuristic"</c> without teachers gets <see cref="DefaultHeuristics"/>.
/// </summary>
public static class TeacherPanel
{
    /// <summary>The OpenAI API, used when neither the teacher nor <c>[splitter]</c> names an endpoint.</summary>
    public const string DefaultEndpoint = "https://api.openai.com/v1";

    /// <summary>
    /// The built-in panel of three rules of increasing eagerness to say System 2: the GSM8K-calibrated default (4 steps, 4
    /// calculator annotations, 50 words, 2 signals), a step-and-annotation rule (2, 2, 50, 2 signals) and an any-signal rule
    /// (3, 3, 40, 1 signal). They disagree on borderline questions, so votes, ties and agreement statistics mean something.
    /// </summary>
    public static IReadOnlyList<SplitterTeacher> DefaultHeuristics { get; } =
    [
        new() { Kind = TeacherKind.Heuristic, Name = "heuristic-gsm8k" },
        new() { Kind = TeacherKind.Heuristic, Name = "heuristic-steps", StepThreshold = 2, AnnotationThreshold = 2 },
        new() { Kind = TeacherKind.Heuristic, Name = "heuristic-any", StepThreshold = 3, AnnotationThreshold = 3, QuestionWordThreshold = 40, RequiredSignals = 1 },
    ];

    /// <summary>The teachers a manifest votes with (the built-in heuristics for <c>method = "heuristic"</c> without teachers).</summary>
    public static IReadOnlyList<SplitterTeacher> TeachersOf(SplitterSection splitter) =>
        splitter.Method == SplitterMethod.Heuristic && splitter.Teachers.Count == 0 ? DefaultHeuristics : splitter.Teachers;

    /// <summary>The splitter configuration of <paramref name="manifest"/>; throws <see cref="BadInputException"/> for a method the stage cannot run.</summary>
    public static SplitterConfig Build(PipelineManifest manifest)
    {
        var s = manifest.Splitter;
        var teachers = TeachersOf(s);
        var config = new SplitterConfig
        {
            Method = s.Method,
            TargetModel = s.TargetModel,
            Prompt = PromptOf(s),
            Teachers = s.Method == SplitterMethod.Random ? [] : teachers.Select(ToConfig).ToList(),
            TieBreak = s.TieBreak,
            Seed = manifest.Seed,
            RandomSystem2Fraction = s.RandomSystem2Fraction,
            Resilience = s.Resilience,
            OnTeacherFailure = s.OnTeacherFailure,
        };
        config.EnsureValid();
        return config;
    }

    /// <summary>The prompt: the template file <c>splitter.prompt</c>, else the built-in Figure 3 prompt (with or without role-play).</summary>
    public static RolePlayPrompt PromptOf(SplitterSection splitter) => splitter.Prompt is { } file
        ? new RolePlayPrompt(File.ReadAllText(file.Resolved))
        : RolePlayPrompt.Default(splitter.RolePlay ? PromptStyle.RolePlay : PromptStyle.NoRolePlay);

    /// <summary>One manifest teacher as the splitter's configuration record.</summary>
    public static TeacherConfig ToConfig(SplitterTeacher t) => t.Kind switch
    {
        TeacherKind.Openai => new OpenAiTeacherConfig(t.Name, new Uri(t.Endpoint.Length > 0 ? t.Endpoint : DefaultEndpoint), t.Model)
        {
            Weight = t.Weight,
            ApiKeyVariable = t.ApiKeyEnv.Length > 0 ? t.ApiKeyEnv : null,
            Temperature = t.Temperature,
            MaxTokens = t.MaxTokens,
        },
        TeacherKind.Local => new LocalTeacherConfig(t.Name, t.Checkpoint?.Resolved ?? "") { Weight = t.Weight },
        TeacherKind.Heuristic => new HeuristicTeacherConfig(t.Name)
        {
            Weight = t.Weight,
            StepThreshold = t.StepThreshold,
            AnnotationThreshold = t.AnnotationThreshold,
            QuestionWordThreshold = t.QuestionWordThreshold,
            RequiredSignals = t.RequiredSignals,
        },
        TeacherKind.CalculatorSteps => new CalculatorStepsTeacherConfig(t.Name) { Weight = t.Weight, MaxSystem1Steps = t.MaxSystem1Steps },
        _ => throw new ArgumentOutOfRangeException(nameof(t), t.Kind, "unknown teacher kind"),
    };
}
