package cnn

import (
	"fmt"
	"strings"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	. "github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/context/initializers"
)

// AdamW is Adam with decoupled weight decay (Loshchilov & Hutter, 2019), the
// update torch.optim.AdamW makes, with one learning rate per group of variables.
// For each trainable variable p with gradient g, at step t (from 1):
//
//	m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²
//	p ← p − lr·(wd·p + (m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + ε))
//
// where lr is the group's rate. Weight decay (wd) only applies to variables of
// rank ≥ 2 (convolution kernels and dense weights), never to biases or batch
// normalisation scales and offsets. A group with rate 0 is frozen: its
// gradients are not even computed, and its variables stay bit-identical.
//
// GoMLX's own Adam has one learning rate for all variables; fine-tuning a
// pretrained feature extractor with a smaller rate than its new classifier needs
// one per group, hence this optimizer.
type AdamW struct {
	// Beta1, Beta2 and Epsilon are Adam's constants [0.9, 0.999, 1e-8].
	Beta1, Beta2, Epsilon float64
	// WeightDecay is the decoupled weight decay per unit of learning rate.
	WeightDecay float64
}

// withDefaults fills Adam's constants.
func (o AdamW) withDefaults() AdamW {
	if o.Beta1 == 0 {
		o.Beta1 = 0.9
	}
	if o.Beta2 == 0 {
		o.Beta2 = 0.999
	}
	if o.Epsilon == 0 {
		o.Epsilon = 1e-8
	}
	return o
}

// Group is a set of variables sharing a learning rate: those in Scope or under
// it (InScope: "/extractor" holds "/extractor/stem_conv"…).
type Group struct {
	Scope string
	// Rate is the group's learning rate for this step, a scalar float32 node; nil
	// freezes the group.
	Rate *Node
}

// Update builds one AdamW step on ctx's trainable variables that loss depends
// on and that fall in one of groups (variables in no group are not updated). Its
// moments and step counter live under OptimizerScope of ctx. It returns the
// number of variables updated.
func (o AdamW) Update(ctx *context.Context, loss *Node, groups []Group) int {
	o = o.withDefaults()
	g := loss.Graph()
	var vars []*context.Variable
	var rates []*Node
	for v := range ctx.IterVariables() {
		if !v.Trainable || !v.InUseByGraph(g) || InScope(v.Scope(), "/"+OptimizerScope) {
			continue
		}
		for _, group := range groups {
			if group.Rate != nil && InScope(v.Scope(), group.Scope) {
				vars = append(vars, v)
				rates = append(rates, group.Rate)
				break
			}
		}
	}
	if len(vars) == 0 {
		return 0
	}
	values := make([]*Node, len(vars))
	for i, v := range vars {
		values[i] = v.ValueGraph(g)
	}
	grads := Gradient(loss, values...)

	optCtx := ctx.In(OptimizerScope).Checked(false)
	stepVar := optCtx.WithInitializer(initializers.Zero).VariableWithShape("step", loss.Shape().Clone()).SetTrainable(false)
	stepVar.SetValueGraph(OnePlus(stepVar.ValueGraph(g)))
	step := ConvertDType(stepVar.ValueGraph(g), dtypes.Float32)
	correction1 := OneMinus(Pow(Scalar(g, dtypes.Float32, o.Beta1), step))
	correction2 := OneMinus(Pow(Scalar(g, dtypes.Float32, o.Beta2), step))

	for i, v := range vars {
		scope := optCtx.In(strings.TrimPrefix(strings.ReplaceAll(v.Scope(), "/", "|"), "|")).In(v.Name())
		mVar := scope.WithInitializer(initializers.Zero).VariableWithShape("m", v.Shape()).SetTrainable(false)
		vVar := scope.WithInitializer(initializers.Zero).VariableWithShape("v", v.Shape()).SetTrainable(false)
		grad := grads[i]
		m := Add(MulScalar(mVar.ValueGraph(g), o.Beta1), MulScalar(grad, 1-o.Beta1))
		second := Add(MulScalar(vVar.ValueGraph(g), o.Beta2), MulScalar(Square(grad), 1-o.Beta2))
		mVar.SetValueGraph(m)
		vVar.SetValueGraph(second)
		direction := Div(Div(m, correction1), AddScalar(Sqrt(Div(second, correction2)), o.Epsilon))
		if o.WeightDecay != 0 && v.Shape().Rank() >= 2 {
			direction = Add(direction, MulScalar(values[i], o.WeightDecay))
		}
		v.SetValueGraph(Sub(values[i], Mul(rates[i], direction)))
	}
	return len(vars)
}

// checkFinite is a guard for the learning rates given to Train.
func checkRate(name string, rate float64) error {
	if !(rate >= 0) || rate > 10 {
		return fmt.Errorf("cnn: %s %v, want in [0, 10]", name, rate)
	}
	return nil
}
