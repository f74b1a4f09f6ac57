using System;

namespace ModelDsl;

/// <summary>
/// Declares a reward model over the setup beside it (<see cref="FineTuneAttribute{TModel}"/>): a scalar <c>score</c> head
/// on the model's final hidden states, laid out as Hugging Face's <c>…ForSequenceClassification</c>. The setup gains a
/// <c>CreateRewardModel()</c> factory; the head trains with whatever the setup trains. Needs a model family with hidden
/// states (or a model implementing <c>IHiddenStateModel</c>), and no soft prompt.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class RewardHeadAttribute : Attribute
{
}
