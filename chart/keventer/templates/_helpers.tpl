{{/* The release's full name: the release name, or release-chart when they differ. */}}
{{- define "keventer.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "keventer.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "keventer.serviceAccountName" -}}
{{- .Values.serviceAccount.name | default (include "keventer.fullname" .) -}}
{{- end -}}

{{- define "keventer.secretName" -}}
{{- .Values.existingSecret | default (printf "%s-sinks" (include "keventer.fullname" .)) -}}
{{- end -}}

{{/* The Lease's name: config.leaderElection.leaseName, else the full name. */}}
{{- define "keventer.leaseName" -}}
{{- (.Values.config.leaderElection | default dict).leaseName | default (include "keventer.fullname" .) -}}
{{- end -}}

{{- define "keventer.checkpointName" -}}
{{- (.Values.config.checkpoint | default dict).name | default (printf "%s-checkpoint" (include "keventer.fullname" .)) -}}
{{- end -}}

{{/* config with the Lease's and checkpoint's names filled in. */}}
{{- define "keventer.config" -}}
{{- $config := deepCopy .Values.config -}}
{{- if hasKey $config "leaderElection" -}}
{{- $_ := set $config.leaderElection "leaseName" (include "keventer.leaseName" .) -}}
{{- end -}}
{{- if and (hasKey $config "checkpoint") (eq (get $config.checkpoint "type") "in-cluster") -}}
{{- $_ := set $config.checkpoint "name" (include "keventer.checkpointName" .) -}}
{{- end -}}
{{- toYaml $config -}}
{{- end -}}
