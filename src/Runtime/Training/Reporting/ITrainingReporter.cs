using System;

namespace ModelDsl.Training.Reporting;

/// <summary>Where the trainer tells a person how training goes.</summary>
interface ITrainingReporter
{
    void Started(long totalSteps, long startStep, long trainableParameters);

    void Stepped(StepRecord step, TimeSpan eta);

    void Evaluated(EvalRecord eval);

    void Note(string message);

    void Finished(TrainingResult result);
}
