using LoraPar.Model.Generation;
using LoraPar.Model.Tokenizers;

namespace LoraPar.Evaluation.Tests.Fakes;

/// <summary>
/// A generator that emits chosen token ids after each prompt (then EOS) and turns them into text as the real generator
/// does (<see cref="CompletionText"/>, with the evaluator's options): the model's side replaced, the tokenizer's kept.
/// </summary>
internal sealed class TokenScriptedGenerator(TextTokenizer tokenizer, Func<string, IReadOnlyList<int>, IReadOnlyList<int>> emit) : ITextGenerator
{
    public IReadOnlyList<GeneratedText> Generate(IReadOnlyList<string> prompts, GenerationOptions options) =>
        prompts.Select(p =>
        {
            var prompt = tokenizer.Encode(p);
            IReadOnlyList<int> ids = [.. emit(p, prompt), tokenizer.EosId];
            return new GeneratedText(CompletionText.Finished(tokenizer, prompt, ids, options), ids, [], FinishReason.Eos);
        }).ToList();
}
