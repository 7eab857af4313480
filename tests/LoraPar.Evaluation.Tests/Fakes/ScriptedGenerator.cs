using LoraPar.Model.Generation;

namespace LoraPar.Evaluation.Tests.Fakes;

/// <summary>A generator that answers each prompt with a text chosen by a function of the prompt, and records its calls.</summary>
internal sealed class ScriptedGenerator(Func<string, string> answer) : ITextGenerator
{
    public List<(IReadOnlyList<string> Prompts, GenerationOptions Options)> Calls { get; } = [];

    public IReadOnlyList<GeneratedText> Generate(IReadOnlyList<string> prompts, GenerationOptions options)
    {
        Calls.Add((prompts, options));
        return prompts.Select(p => new GeneratedText(answer(p), [], [], FinishReason.Stop)).ToList();
    }
}

/// <summary>A generator that fails after a given number of calls, to simulate an interrupted evaluation.</summary>
internal sealed class FailingGenerator(ITextGenerator inner, int callsBeforeFailure) : ITextGenerator
{
    private int _calls;

    public IReadOnlyList<GeneratedText> Generate(IReadOnlyList<string> prompts, GenerationOptions options) =>
        ++_calls > callsBeforeFailure ? throw new IOException("simulated interruption") : inner.Generate(prompts, options);
}
