using LoraPar.Core;
using LoraPar.Method.Splitter;

namespace LoraPar.Method.Tests.Splitter;

public sealed class SplitterConfigTests
{
    [Fact]
    public void The_defaults_with_one_teacher_are_valid()
    {
        var config = new SplitterConfig { Teachers = [new HeuristicTeacherConfig("h")] };
        Assert.Empty(config.Problems());
        Assert.Equal(TieBreakRule.System2, config.TieBreak);
        Assert.Equal(TeacherFailurePolicy.Stop, config.OnTeacherFailure);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_with_where_it_is()
    {
        var config = new SplitterConfig
        {
            Teachers =
            [
                new OpenAiTeacherConfig("t", new Uri("ftp://host/v1"), "") { Temperature = 3, MaxTokens = 0, Weight = -1 },
                new HeuristicTeacherConfig("t") { RequiredSignals = 4 },
            ],
            Resilience = new TeacherResilience { MaxConcurrency = 0 },
        };

        var e = Assert.Throws<BadInputException>(config.EnsureValid);

        foreach (var expected in new[]
                 {
                     "labels.teachers[0].base_url", "labels.teachers[0].model", "labels.teachers[0].temperature",
                     "labels.teachers[0].max_tokens", "labels.teachers[0].weight", "labels.teachers[1].name: \"t\" is used twice",
                     "labels.teachers[1].required_signals", "labels.resilience.max_concurrency",
                 })
            Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void No_teachers_is_an_error_unless_labelling_is_random()
    {
        Assert.Contains(new SplitterConfig().Problems(), p => p.Contains("no teacher configured"));
        Assert.Empty(new SplitterConfig { Method = SplitterMethod.Random }.Problems());
        Assert.NotEmpty(new SplitterConfig { Method = SplitterMethod.Random, RandomSystem2Fraction = 1.5 }.Problems());
    }

    [Fact]
    public void A_named_but_unset_key_variable_is_bad_input_that_names_the_variable()
    {
        var config = new SplitterConfig
        {
            Teachers = [new OpenAiTeacherConfig("remote", new Uri("http://127.0.0.1:9/v1"), "m") { ApiKeyVariable = "NO_SUCH_VAR_LORAPAR" }],
        };

        var e = Assert.Throws<BadInputException>(() => TeacherFactory.CreateAll(config, new TeacherEnvironment { ReadVariable = _ => null }));
        Assert.Contains("NO_SUCH_VAR_LORAPAR", e.Message);
        Assert.Contains("remote", e.Message);
    }

    [Fact]
    public void A_local_teacher_without_a_model_loader_is_bad_input()
    {
        var config = new SplitterConfig { Teachers = [new LocalTeacherConfig("tiny", "ckpt")] };
        Assert.Throws<BadInputException>(() => TeacherFactory.CreateAll(config, new TeacherEnvironment()));
    }
}
