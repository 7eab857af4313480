namespace LoraPar.Cli.Tests.Commands;

/// <summary>experiments/ci.toml cut down to a run of seconds: 8 pretraining steps, 12 questions, one GRPO step, 8-token answers.</summary>
internal static class TinyCi
{
    /// <summary>The manifest named <paramref name="name"/>, with <paramref name="topLevel"/> lines before its first table.</summary>
    public static string Manifest(string name, string topLevel = "") => $"""
        extends = "ci.toml"
        name = "{name}"
        {topLevel}
        [model.tiny]
        pretrain_steps = 8
        [data]
        synthetic_train_size = 12
        synthetic_eval_size = 2
        [importance]
        samples_per_system = 4
        [rl]
        max_steps = 1
        max_completion_length = 8
        [eval]
        max_new_tokens = 8

        """;
}
