using LoraPar.Core;

namespace LoraPar.Method.Splitter;

/// <summary>Builds the strategy of each <see cref="TeacherKind"/> from its configuration.</summary>
public static class TeacherFactory
{
    /// <summary>
    /// Builds one teacher. Throws <see cref="BadInputException"/> when its API key variable is named but unset, or when a local
    /// teacher is configured without a scorer provider.
    /// </summary>
    public static ITeacher Create(TeacherConfig config, SplitterConfig splitter, TeacherEnvironment environment) => config switch
    {
        OpenAiTeacherConfig o => new OpenAiTeacher(
            o, splitter.Prompt, splitter.TargetModel, ReadKey(o, environment), splitter.Resilience, environment),
        LocalTeacherConfig l => new LocalTeacher(l, splitter.Prompt, splitter.TargetModel,
            environment.LocalScorers?.Invoke(l) ?? throw new BadInputException(
                $"teacher \"{l.Name}\" is a local teacher (checkpoint {l.Checkpoint}), but this run has no model loader for local " +
                "teachers; use an openai or heuristic teacher here")),
        HeuristicTeacherConfig h => new HeuristicTeacher(h),
        CalculatorStepsTeacherConfig c => new CalculatorStepsTeacher(c),
        _ => throw new ArgumentOutOfRangeException(nameof(config), config.Kind, "unknown teacher kind"),
    };

    /// <summary>Builds every teacher of <paramref name="splitter"/>, disposing those already built if one fails.</summary>
    public static IReadOnlyList<ITeacher> CreateAll(SplitterConfig splitter, TeacherEnvironment environment)
    {
        var teachers = new List<ITeacher>();
        try
        {
            foreach (var config in splitter.Teachers) teachers.Add(Create(config, splitter, environment));
            return teachers;
        }
        catch
        {
            foreach (var t in teachers) t.Dispose();
            throw;
        }
    }

    private static string? ReadKey(OpenAiTeacherConfig config, TeacherEnvironment environment)
    {
        if (config.ApiKeyVariable is null) return null;
        var key = environment.ReadVariable(config.ApiKeyVariable);
        if (string.IsNullOrEmpty(key))
            throw new BadInputException(
                $"teacher \"{config.Name}\" ({config.BaseUrl}) reads its API key from the environment variable " +
                $"{config.ApiKeyVariable}, which is not set; export it, or remove api_key_env if the server needs no key");
        return key;
    }
}
