// argocd-render renders Argo CD Applications with Argo CD's own code (github.com/argoproj/argo-cd/v3,
// version pinned in go.mod), the way an Argo CD installation does for a checked-out Git revision:
//
//   - an ApplicationSet is expanded into Applications by the ApplicationSet controller's
//     template.GenerateApplications (list generator; Go templates, templatePatch);
//   - each Application's source is rendered by the repo-server's repository.GenerateManifests
//     (source-type detection, `helm template` with releaseName/valueFiles, or the directory of
//     plain manifests; resource tracking by annotation, the default of a fresh install);
//   - each manifest is classified as the sync engine does (gitops-engine hook.IsHook / hook.Types):
//     a hook runs in its phases; a hook without a known phase (e.g. `helm.sh/hook: test`) never syncs.
//
// Usage: argocd-render -repo <checkout dir> [-kube-version v1.28.15] [-api-versions a,b] <file.yaml>...
//
// Every document of every file must be an Application or an ApplicationSet (unknown fields are
// errors). Output (stdout): a JSON array with one entry per (generated) Application:
// {"file","applicationSet","application","sourceType","commands","manifests":[{"object","hook","phases"}]}.
// `helm` is executed as the repo-server does: the one next to this binary if there is one, else
// the first on PATH. Exit 1 with a message on any error. Test-only tool (scripts/bootstrap-tools.sh
// argocd-render builds it into the tools cache).
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/argoproj/argo-cd/v3/applicationset/controllers/template"
	"github.com/argoproj/argo-cd/v3/applicationset/generators"
	"github.com/argoproj/argo-cd/v3/applicationset/utils"
	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"github.com/argoproj/argo-cd/v3/reposerver/apiclient"
	"github.com/argoproj/argo-cd/v3/reposerver/repository"
	apppath "github.com/argoproj/argo-cd/v3/util/app/path"
	"github.com/argoproj/argo-cd/v3/util/git"
	utilio "github.com/argoproj/argo-cd/v3/util/io"
	"github.com/argoproj/gitops-engine/pkg/sync/hook"
	log "github.com/sirupsen/logrus"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	kyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// controllerNamespace is the namespace of the Argo CD control plane (Applications in it are named
// without a namespace prefix).
const controllerNamespace = "argocd"

type manifest struct {
	Object json.RawMessage `json:"object"`
	Hook   bool            `json:"hook"`
	Phases []string        `json:"phases"`
}

type rendered struct {
	File           string                `json:"file"`
	ApplicationSet string                `json:"applicationSet,omitempty"`
	Application    *v1alpha1.Application `json:"application"`
	SourceType     string                `json:"sourceType"`
	Commands       []string              `json:"commands"`
	Manifests      []manifest            `json:"manifests"`
}

type options struct {
	root, kubeVersion, revision string
	apiVersions                 []string
}

func main() {
	repo := flag.String("repo", "", "the repository checkout that source.path is relative to")
	kubeVersion := flag.String("kube-version", "v1.28.15", "the destination cluster's version (.Capabilities.KubeVersion)")
	apiVersions := flag.String("api-versions", "", "comma-separated API versions of the destination (.Capabilities.APIVersions)")
	revision := flag.String("revision", "HEAD", "the resolved revision (ARGOCD_APP_REVISION)")
	flag.Parse()
	if *repo == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: argocd-render -repo <dir> <application-or-applicationset.yaml>...")
		os.Exit(2)
	}
	log.SetLevel(log.WarnLevel)
	log.SetOutput(os.Stderr)
	useBundledHelm()
	opts := options{kubeVersion: *kubeVersion, revision: *revision}
	if *apiVersions != "" {
		opts.apiVersions = strings.Split(*apiVersions, ",")
	}
	root, err := filepath.Abs(*repo)
	if err == nil {
		// The repo-server confines paths to the checkout root with symlinks resolved.
		root, err = filepath.EvalSymlinks(root)
	}
	if err != nil {
		fail(err)
	}
	opts.root = root
	out := []rendered{}
	for _, file := range flag.Args() {
		docs, err := readDocuments(file)
		if err != nil {
			fail(err)
		}
		for _, doc := range docs {
			r, err := renderDocument(doc, opts)
			if err != nil {
				fail(fmt.Errorf("%s: %w", file, err))
			}
			for i := range r {
				r[i].File = file
			}
			out = append(out, r...)
		}
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "argocd-render:", err)
	os.Exit(1)
}

// useBundledHelm puts the directory of this binary first on PATH when a `helm` lies next to it
// (the helm version Argo CD bundles, installed there by the bootstrap).
func useBundledHelm() {
	exe, err := os.Executable()
	if err != nil {
		return
	}
	if exe, err = filepath.EvalSymlinks(exe); err != nil {
		return
	}
	dir := filepath.Dir(exe)
	if st, err := os.Stat(filepath.Join(dir, "helm")); err == nil && !st.IsDir() {
		_ = os.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	}
}

// readDocuments splits a YAML stream into its non-empty documents.
func readDocuments(file string) ([][]byte, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	reader := kyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	var docs [][]byte
	for {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		if len(bytes.TrimSpace(doc)) > 0 {
			docs = append(docs, doc)
		}
	}
}

func renderDocument(doc []byte, opts options) ([]rendered, error) {
	var meta struct {
		Kind string `json:"kind"`
	}
	if err := yaml.Unmarshal(doc, &meta); err != nil {
		return nil, err
	}
	switch meta.Kind {
	case "Application":
		var app v1alpha1.Application
		if err := yaml.UnmarshalStrict(doc, &app); err != nil {
			return nil, err
		}
		r, err := renderApplication(&app, opts)
		if err != nil {
			return nil, fmt.Errorf("Application %s: %w", app.Name, err)
		}
		return []rendered{r}, nil
	case "ApplicationSet":
		var set v1alpha1.ApplicationSet
		if err := yaml.UnmarshalStrict(doc, &set); err != nil {
			return nil, err
		}
		apps, err := generateApplications(&set)
		if err != nil {
			return nil, fmt.Errorf("ApplicationSet %s: %w", set.Name, err)
		}
		var out []rendered
		for i := range apps {
			r, err := renderApplication(&apps[i], opts)
			if err != nil {
				return nil, fmt.Errorf("ApplicationSet %s: Application %s: %w", set.Name, apps[i].Name, err)
			}
			r.ApplicationSet = set.Name
			out = append(out, r)
		}
		return out, nil
	default:
		return nil, fmt.Errorf("kind %q is neither Application nor ApplicationSet", meta.Kind)
	}
}

// generateApplications runs the ApplicationSet controller's generation with the list generator
// (the only one that needs no cluster, SCM or Git access; others are refused by Transform).
func generateApplications(set *v1alpha1.ApplicationSet) ([]v1alpha1.Application, error) {
	gens := map[string]generators.Generator{"List": generators.NewListGenerator()}
	apps, _, err := template.GenerateApplications(log.WithField("applicationset", set.Name), *set, gens, &utils.Render{}, nil)
	if err != nil {
		return nil, err
	}
	for i := range apps {
		// What the API server stores for a created Application.
		apps[i].APIVersion = "argoproj.io/v1alpha1"
		apps[i].Kind = "Application"
	}
	return apps, nil
}

// renderApplication builds the ManifestRequest the application controller sends for a
// single-source Application (defaults of a fresh install: tracking by annotation, label key
// app.kubernetes.io/instance, every source type enabled, value file schemes http/https) and runs
// the repo-server's GenerateManifests on the checkout.
func renderApplication(app *v1alpha1.Application, opts options) (rendered, error) {
	if app.Spec.Source == nil || app.Spec.HasMultipleSources() {
		return rendered{}, errors.New("only single-source Applications (spec.source) are supported")
	}
	source := app.Spec.Source.DeepCopy()
	appPath, err := apppath.Path(opts.root, source.Path)
	if err != nil {
		return rendered{}, err
	}
	q := &apiclient.ManifestRequest{
		Repo:              &v1alpha1.Repository{Repo: source.RepoURL},
		Revision:          source.TargetRevision,
		AppLabelKey:       "app.kubernetes.io/instance",
		AppName:           app.InstanceName(controllerNamespace),
		Namespace:         app.Spec.Destination.Namespace,
		ApplicationSource: source,
		KubeVersion:       opts.kubeVersion,
		ApiVersions:       opts.apiVersions,
		TrackingMethod:    string(v1alpha1.TrackingMethodAnnotation),
		ProjectName:       app.Spec.GetProject(),
		HelmOptions:       &v1alpha1.HelmOptions{ValuesFileSchemes: []string{"https", "http"}},
	}
	resp, err := repository.GenerateManifests(context.Background(), appPath, opts.root, opts.revision, q, false,
		&git.NoopCredsStore{}, resource.MustParse("10M"), utilio.NewRandomizedTempPaths(os.TempDir()))
	if err != nil {
		return rendered{}, err
	}
	r := rendered{Application: app, SourceType: resp.SourceType, Commands: resp.Commands, Manifests: []manifest{}}
	for _, m := range resp.Manifests {
		var obj unstructured.Unstructured
		if err := json.Unmarshal([]byte(m), &obj.Object); err != nil {
			return rendered{}, err
		}
		phases := []string{}
		isHook := hook.IsHook(&obj)
		if isHook {
			for _, t := range hook.Types(&obj) {
				phases = append(phases, string(t))
			}
		}
		r.Manifests = append(r.Manifests, manifest{Object: json.RawMessage(m), Hook: isHook, Phases: phases})
	}
	return r, nil
}
